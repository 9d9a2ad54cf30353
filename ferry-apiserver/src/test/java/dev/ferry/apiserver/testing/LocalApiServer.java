package dev.ferry.apiserver.testing;

import dev.ferry.apiserver.ApiServer;
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

    /** "http://127.0.0.1:PORT". */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
