package dev.ferry.apiserver;

import dev.ferry.store.MemoryStore;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One real API server (on a memory store, a free loopback port) and a client, shared by the tests of a class. */
abstract class ServerTest {
    static ApiServer server;
    static ApiClient api;

    @BeforeAll
    static void startServer() throws Exception {
        server = ApiServer.start(ApiServer.Config.defaults("127.0.0.1", 0), new MemoryStore(), Clock.systemUTC());
        api = new ApiClient(server.port());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }
}
