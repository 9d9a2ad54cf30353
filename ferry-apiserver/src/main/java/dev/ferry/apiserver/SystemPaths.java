package dev.ferry.apiserver;

import dev.ferry.apiserver.http.ApiRequest;
import dev.ferry.apiserver.http.ApiRouter;
import dev.ferry.apiserver.http.Reply;
import java.util.Optional;

/** Health endpoints and, until discovery is wired, nothing else. */
final class SystemPaths implements ApiRouter.NonResourceHandler {
    @Override
    public Optional<Reply> handle(ApiRequest req) {
        return switch (req.path()) {
            case "/healthz", "/livez", "/readyz" -> Optional.of(Reply.Body.text(200, "ok"));
            default -> Optional.empty();
        };
    }
}
