package dev.ferry.apiserver.testing;

import dev.ferry.apiserver.ApiServer;
import dev.ferry.apiserver.service.ServiceNetworkConfig;
import dev.ferry.apiserver.service.SpecialIpValidator;
import dev.ferry.store.MemoryStore;
import java.time.Clock;

/**
 * A real API server in this JVM, on a memory store and a free loopback port: the cluster other modules' integration
 * tests (controllers, agent) talk to over HTTP, as they do in production.
 */
public final class LocalApiServer implements AutoCloseable {
    private final ApiServer server;

    private LocalApiServer(ApiServer server) {
        this.server = server;
    }

    public static LocalApiServer start() throws Exception {
        return new LocalApiServer(ApiServer.start(ApiServer.Config.defaults("127.0.0.1", 0), new MemoryStore(),
                Clock.systemUTC()));
    }

    /**
     * A server whose Services take ClusterIPs from {@code serviceCidr}, so that tests binding them (the service
     * proxy's) use addresses of their own; {@code serviceCidr} and {@code extraAllowed} are also allowed as
     * endpoint and external IPs, next to Ferry's defaults.
     */
    public static LocalApiServer start(String serviceCidr, String... extraAllowed) throws Exception {
        java.util.List<String> allowed = new java.util.ArrayList<>(SpecialIpValidator.FERRY_ALLOWED_CIDRS);
        allowed.add(serviceCidr);
        allowed.addAll(java.util.List.of(extraAllowed));
        return new LocalApiServer(ApiServer.start(ApiServer.Config.defaults("127.0.0.1", 0)
                .withNetwork(new ServiceNetworkConfig(serviceCidr, 30000, 32767, allowed)), new MemoryStore(),
                Clock.systemUTC()));
    }

    /** "http://127.0.0.1:PORT". */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
