package dev.ferry.apiserver.http;

import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.discovery.AggregatedDiscovery;
import dev.ferry.apiserver.discovery.Discovery;
import dev.ferry.apiserver.discovery.OpenApi;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/** The non-resource paths: health, {@code /version}, discovery (legacy and aggregated) and OpenAPI. */
public final class DiscoveryPaths implements ApiRouter.NonResourceHandler {
    private static final String OPENAPI_V3 = "/openapi/v3/";

    private final Discovery discovery;
    private final OpenApi openApi;
    private final Supplier<String> serverAddress;

    /** {@code serverAddress} gives "host:port" as clients should reach this server (known once bound). */
    public DiscoveryPaths(Discovery discovery, OpenApi openApi, Supplier<String> serverAddress) {
        this.discovery = discovery;
        this.openApi = openApi;
        this.serverAddress = serverAddress;
    }

    @Override
    public Optional<Reply> handle(ApiRequest req) {
        String path = req.path();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
            return Optional.empty();
        }
        return switch (path) {
            case "/healthz", "/livez", "/readyz" -> Optional.of(Reply.Body.text(200, "ok"));
            case "/version" -> json(discovery.version());
            case "/api" -> Optional.of(AggregatedDiscovery.negotiate(req.accept())
                    .map(v -> body(AggregatedDiscovery.contentType(v), discovery.aggregatedApi(v)))
                    .orElseGet(() -> body("application/json", discovery.apiVersions(serverAddress.get()))));
            case "/apis" -> Optional.of(AggregatedDiscovery.negotiate(req.accept())
                    .map(v -> body(AggregatedDiscovery.contentType(v), discovery.aggregatedApis(v)))
                    .orElseGet(() -> body("application/json", discovery.apiGroupList())));
            case "/openapi/v3" -> json(openApi.root());
            case "/openapi/v2" -> Optional.of(new Reply.Body(200, OpenApi.V2_CONTENT_TYPE, new byte[0]));
            default -> groupPaths(path);
        };
    }

    private Optional<Reply> groupPaths(String path) {
        if (path.startsWith(OPENAPI_V3)) {
            return Optional.of(openApi.groupVersionBytes(path.substring(OPENAPI_V3.length()))
                    .map(bytes -> (Reply) new Reply.Body(200, "application/json", bytes))
                    .orElseThrow(() -> ApiException.notFound("the server could not find the requested resource")));
        }
        String[] parts = path.substring(1).split("/");
        if (parts.length == 2 && parts[0].equals("api")) {
            return Optional.of(resourceList(parts[1]));
        }
        if (parts.length == 2 && parts[0].equals("apis")) {
            return Optional.of(discovery.apiGroup(parts[1]).map(g -> body("application/json", g))
                    .orElseThrow(() -> ApiException.notFound("the server could not find the requested resource")));
        }
        if (parts.length == 3 && parts[0].equals("apis")) {
            return Optional.of(resourceList(parts[1] + "/" + parts[2]));
        }
        return Optional.empty();
    }

    private Reply resourceList(String groupVersion) {
        return discovery.apiResourceList(groupVersion).map(l -> body("application/json", l))
                .orElseThrow(() -> ApiException.notFound("the server could not find the requested resource"));
    }

    private static Optional<Reply> json(ObjectNode obj) {
        return Optional.of(body("application/json", obj));
    }

    private static Reply body(String contentType, ObjectNode obj) {
        return new Reply.Body(200, contentType, Json.MAPPER.writeValueAsBytes(obj));
    }
}
