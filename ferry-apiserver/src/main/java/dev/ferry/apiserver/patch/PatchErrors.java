package dev.ferry.apiserver.patch;

import dev.ferry.api.validation.FieldError;
import dev.ferry.apiserver.ApiException;
import java.util.List;

/**
 * The two patch failures {@link ApiException} has no factory for yet. Both are approximations until ApiException
 * gains the upstream shapes (see the branch report):
 * <ul>
 *   <li>422 from a JSON patch that does not apply, or from a strategic merge patch with a list of lists: upstream
 *       answers {@code errors.NewGenericServerResponse(422, ...)}, i.e. reason Invalid, message
 *       "the server rejected our request due to an error in our request", empty details. Here: reason Invalid with
 *       the detail as a {@code patch} field error, so the user sees what failed.</li>
 *   <li>409 apply conflict: upstream {@code errors.NewApplyConflict(causes, message)}: reason Conflict, the message
 *       verbatim ({@link ApplyConflict#message()}), details.causes of type FieldManagerConflict. Here: reason
 *       Conflict, the message after ApiException.conflict's fixed prefix.</li>
 * </ul>
 */
final class PatchErrors {
    private PatchErrors() {
    }

    static ApiException unprocessable(String detail) {
        return ApiException.invalid("", "", "", List.of(FieldError.invalid("patch", null, detail)));
    }

    static ApiException applyConflict(ApplyConflict conflict) {
        return ApiException.conflict("", "", "", conflict.message());
    }
}
