package dev.ferry.agent;

import dev.ferry.apiserver.testing.LocalApiServer;
import dev.ferry.client.Clients;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One real API server (in-process, memory store) and a client to it, shared by the tests of a class. */
abstract class AgentApiTest {
    static LocalApiServer api;
    static KubernetesClient client;

    @BeforeAll
    static void startApi() throws Exception {
        api = LocalApiServer.start();
        client = Clients.connect(api.url(), "test");
    }

    @AfterAll
    static void stopApi() {
        client.close();
        api.close();
    }
}
