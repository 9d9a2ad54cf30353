package dev.ferry.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.apiserver.testing.LocalApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A running API server keeps nothing in the temp directory: a file there would outlive a killed process (Vert.x's
 * file cache made a {@code vertx-cache-*} directory per process, left behind by every {@code kill -9}).
 */
class ApiServerTempDirTest {
    private static Set<String> vertxCaches() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vertx-cache-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void aRunningServerHasNoVertxFileCache() throws Exception {
        Set<String> before = vertxCaches();
        try (LocalApiServer server = LocalApiServer.start()) {
            assertThat(server.url()).startsWith("http://");
            assertThat(vertxCaches()).as("vertx-cache directories while the server runs").isSubsetOf(before);
        }
    }
}
