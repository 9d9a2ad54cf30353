package dev.ferry.apiserver.patch;

import dev.ferry.apiserver.ApiException;

/** The patch failures with shapes of their own: upstream's generic 422, and the apply conflict. */
final class PatchErrors {
    private PatchErrors() {
    }

    static ApiException unprocessable(String detail) {
        return ApiException.unprocessable(detail);
    }

    static ApiException applyConflict(ApplyConflict conflict) {
        return ApiException.applyConflict(conflict.message(), conflict.conflicts().stream()
                .map(c -> new ApiException.Cause("FieldManagerConflict", "conflict with " + c.manager(), c.path()))
                .toList());
    }
}
