package dev.ferry.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

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
}
