package dev.ferry.apiserver.http;

import dev.ferry.apiserver.ApiException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends resource paths to the {@link ResourceHandler} and everything else (discovery, OpenAPI, version, health) to
 * the non-resource handler; unknown paths get upstream's 404 Status.
 */
public final class ApiRouter implements Function<ApiRequest, Reply> {
    private final ResourceHandler resources;
    private final NonResourceHandler others;

    /** Serves a non-resource path, or declines it. */
    public interface NonResourceHandler {
        Optional<Reply> handle(ApiRequest request);
    }

    public ApiRouter(ResourceHandler resources, NonResourceHandler others) {
        this.resources = resources;
        this.others = others;
    }

    @Override
    public Reply apply(ApiRequest req) {
        Optional<Reply> other = others.handle(req);
        if (other.isPresent()) {
            return other.get();
        }
        RequestInfo info = RequestInfo.parse(req.path());
        if (info == null) {
            throw ApiException.notFound("the server could not find the requested resource");
        }
        return resources.handle(req, info);
    }
}
