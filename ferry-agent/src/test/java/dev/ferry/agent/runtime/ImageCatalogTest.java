package dev.ferry.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.agent.runtime.ContainerRuntime.StartFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageCatalogTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ferry/serve-hostname                               | ferry/serve-hostname
            ferry/serve-hostname:1.0                           | ferry/serve-hostname
            docker.io/ferry/echo:latest                        | ferry/echo
            docker.io/library/busybox:1.36                     | busybox
            index.docker.io/library/alpine                     | alpine
            library/busybox                                    | busybox
            busybox@sha256:abcdef                              | busybox
            busybox:1.36@sha256:abcdef                         | busybox
            localhost:5000/team/app:v2                         | localhost:5000/team/app
            localhost:5000/team/app                            | localhost:5000/team/app
            registry.k8s.io/e2e-test-images/agnhost:2.53       | registry.k8s.io/e2e-test-images/agnhost
            """)
    void normalisesImageNames(String image, String expected) {
        assertThat(ImageCatalog.normalize(image)).isEqualTo(expected);
    }

    @Test
    void builtInJavaImagesRunTheImageMainClassOnThisJvmWithSmallFlags() throws Exception {
        ImageCatalog catalog = ImageCatalog.builtIns();
        ImageCatalog.Image image = catalog.resolve("docker.io/ferry/serve-hostname:latest");
        assertThat(image.entrypoint().getFirst()).isEqualTo(ProcessHandle.current().info().command().orElseThrow());
        assertThat(image.entrypoint()).containsSequence(ImageCatalog.IMAGE_JVM_FLAGS)
                .endsWith("-cp", ImageCatalog.imagesClassPath(), "dev.ferry.images.ServeHostname");
        Path entry = Path.of(ImageCatalog.imagesClassPath());
        if (Files.isDirectory(entry)) {
            assertThat(entry.resolve("dev/ferry/images/ServeHostname.class")).exists();
        } else {
            try (var jar = new java.util.zip.ZipFile(entry.toFile())) {
                assertThat(jar.getEntry("dev/ferry/images/ServeHostname.class")).isNotNull();
            }
        }
        assertThat(catalog.resolve("ferry/echo").entrypoint()).endsWith("dev.ferry.images.Echo");
        assertThat(image.env()).containsKey("PATH");
    }

    @Test
    void withoutTheImagesClassesTheJavaImagesSaySoAndTheOthersStillWork() throws Exception {
        ImageCatalog catalog = new ImageCatalog("/usr/bin/java", null, null, Map.of(), "/bin");
        assertThatThrownBy(() -> catalog.resolve("ferry/echo:1"))
                .isInstanceOfSatisfying(StartFailure.class, e -> assertThat(e.reason()).isEqualTo("ErrImagePull"))
                .hasMessage("built-in image \"ferry/echo:1\" is unavailable: its classes (dev.ferry.images) are not on"
                        + " the agent's class path");
        assertThat(catalog.resolve("busybox").env()).containsEntry("PATH", "/bin");
    }

    @Test
    void hostImagesHaveNoEntrypointAndDefaultToSh() throws Exception {
        ImageCatalog catalog = ImageCatalog.builtIns();
        for (String name : List.of("ferry/host", "busybox:latest", "docker.io/library/alpine:3.20")) {
            ImageCatalog.Image image = catalog.resolve(name);
            assertThat(image.entrypoint()).isEmpty();
            assertThat(image.cmd()).containsExactly("sh");
        }
    }

    /** Kubernetes: command replaces the entrypoint (and drops the image's default args); args replace the default args. */
    @ParameterizedTest(name = "command={2} args={3}")
    @CsvSource(delimiter = '|', textBlock = """
            ep1 ep2 | cmd1      |              |           | ep1 ep2 cmd1
            ep1 ep2 | cmd1      | c1           |           | c1
            ep1 ep2 | cmd1      |              | a1 a2     | ep1 ep2 a1 a2
            ep1 ep2 | cmd1      | c1           | a1        | c1 a1
                    | sh        |              |           | sh
                    | sh        |              | sleep 9   | sleep 9
                    | sh        | sh -c        | exit      | sh -c exit
            """)
    void commandAndArgsSemantics(String entrypoint, String cmd, String command, String args, String expected)
            throws Exception {
        ImageCatalog.Image image = new ImageCatalog.Image("i", words(entrypoint), words(cmd), Map.of());
        assertThat(ImageCatalog.argv(image, words(command), words(args))).isEqualTo(words(expected));
    }

    @Test
    void nothingToRunIsARunContainerError() {
        ImageCatalog.Image image = new ImageCatalog.Image("empty", List.of(), List.of(), Map.of());
        assertThatThrownBy(() -> ImageCatalog.argv(image, List.of(), List.of()))
                .isInstanceOfSatisfying(StartFailure.class, e -> assertThat(e.reason()).isEqualTo("RunContainerError"));
    }

    @Test
    void unknownImageIsErrImagePullNamingTheBuiltInsAndTheMap(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ImageCatalog.builtIns().resolve("nginx:1.27"))
                .isInstanceOfSatisfying(StartFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo("ErrImagePull");
                    assertThat(e.getMessage()).isEqualTo("image \"nginx:1.27\" is not a Ferry built-in and no image map"
                            + " file is configured; built-ins: ferry/echo, ferry/host (also busybox, alpine),"
                            + " ferry/serve-hostname");
                });
        Path map = Files.writeString(dir.resolve("images"), "# empty\n");
        assertThatThrownBy(() -> ImageCatalog.withImageMap(map).resolve("nginx"))
                .hasMessageStartingWith("image \"nginx\" is not a Ferry built-in and is not in the image map " + map
                        + "; built-ins: ");
    }

    @Test
    void imageMapEntriesAreEntrypointsAndMayReplaceBuiltIns(@TempDir Path dir) throws Exception {
        Path map = Files.writeString(dir.resolve("images"), """
                # image = command line
                docker.io/library/redis:7 = /usr/bin/redis-server --save ''

                ferry/echo = /opt/my-echo "--greeting=hello world"
                """);
        ImageCatalog catalog = ImageCatalog.withImageMap(map);
        ImageCatalog.Image redis = catalog.resolve("redis:7.2");
        assertThat(redis.entrypoint()).containsExactly("/usr/bin/redis-server", "--save", "");
        assertThat(ImageCatalog.argv(redis, List.of(), List.of("--port", "7000")))
                .containsExactly("/usr/bin/redis-server", "--save", "", "--port", "7000");
        assertThat(catalog.resolve("ferry/echo").entrypoint()).containsExactly("/opt/my-echo",
                "--greeting=hello world");
        assertThat(catalog.names()).contains("redis", "ferry/echo", "ferry/serve-hostname");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            no equals sign here        | map:2: expected 'image = command line', got: no equals sign here
            = /bin/true                | map:2: missing image name before '='
            app =                      | map:2: missing command line for image app
            app = sh -c 'unterminated  | map:2: unterminated single quote
            """)
    void imageMapErrorsNameTheLine(String line, String message) {
        assertThatThrownBy(() -> ImageCatalog.parseImageMap(List.of("# first", line), "map"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}
