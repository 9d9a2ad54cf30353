package dev.ferry.e2e;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** One real Ferry cluster, with its kubectl, shared by the tests of a class (each test uses its own namespace). */
abstract class ClusterTest {
    @TempDir
    static Path dir;
    static Cluster cluster;

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.start(dir);
    }

    @AfterAll
    static void down() throws Exception {
        cluster.close();
    }

    /** Polls every 250 ms for up to 60 s, retrying through exceptions (a kubectl call that fails meanwhile). */
    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions();
    }

    /** The pod as {@code kubectl get pod -o json} prints it. */
    static JsonNode pod(String ns, String name) throws Exception {
        return cluster.get(ns, "pod", name);
    }

    /** {@code kubectl apply -n ns -f} a manifest written to {@code file}. */
    static void apply(String ns, String file, String yaml) throws Exception {
        cluster.ok("apply", "-n", ns, "-f", cluster.manifest(file, yaml).toString());
    }
}
