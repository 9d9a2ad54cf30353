package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One running Ferry and a kubectl bound to it, shared by the tests of one class. Each test works in its own
 * namespace, so tests in a class do not see each other's objects.
 */
final class Cluster implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SERVICE_IP = Pattern.compile("127\\.(?:9[67]|1[0-3]\\d)\\.(\\d{1,3})\\.(\\d{1,3})");

    private final FerryProcess ferry;
    private final Kubectl kubectl;
    private final Path dir;

    private Cluster(FerryProcess ferry, Kubectl kubectl, Path dir) {
        this.ferry = ferry;
        this.kubectl = kubectl;
        this.dir = dir;
    }

    /**
     * Starts {@code ferry up} with its data in {@code dir/data} and {@code ferryArgs}; kubectl caches discovery in
     * {@code dir/cache}.
     */
    static Cluster start(Path dir, String... ferryArgs) throws IOException, InterruptedException {
        FerryProcess ferry = FerryProcess.up(dir.resolve("data"), ferryArgs);
        return new Cluster(ferry, new Kubectl(ferry.kubeconfig(), dir.resolve("cache")), dir);
    }

    FerryProcess ferry() {
        return ferry;
    }

    Kubectl kubectl() {
        return kubectl;
    }

    Kubectl.Result run(String... args) throws IOException, InterruptedException {
        return kubectl.run(args);
    }

    /** Runs kubectl and fails the test unless it exits 0. */
    Kubectl.Result ok(String... args) throws IOException, InterruptedException {
        return kubectl.run(args).ok();
    }

    /** {@code kubectl create namespace ns}, checked through its output. */
    void namespace(String ns) throws IOException, InterruptedException {
        assertThat(ok("create", "namespace", ns).out()).isEqualTo("namespace/" + ns + " created\n");
    }

    /** The stored object as {@code kubectl get -o json} prints it. */
    JsonNode get(String ns, String resource, String name) throws IOException, InterruptedException {
        return JSON.readTree(ok("get", resource, name, "-n", ns, "-o", "json").out());
    }

    /** Writes a manifest to a fresh file under this cluster's directory. */
    Path manifest(String fileName, String yaml) {
        try {
            Path file = dir.resolve("manifests").resolve(fileName);
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test resource (under src/test/resources) as a file path kubectl can read. */
    static Path resource(String name) {
        try {
            return Path.of(Cluster.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String resourceText(String name) {
        try {
            return Files.readString(resource(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that {@code ip} is a valid address in a Service CIDR of Ferry's tests: the default 127.96.0.0/16, a
     * test's own 127.97.0.0/16, or a {@link ClusterNetwork}'s.
     */
    static void assertServiceIp(String ip) {
        Matcher m = SERVICE_IP.matcher(ip);
        assertThat(m.matches()).as("%s is in a Service CIDR of the tests", ip).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("third octet of %s", ip).isBetween(0, 255);
        assertThat(Integer.parseInt(m.group(2))).as("fourth octet of %s", ip).isBetween(0, 255);
    }

    @Override
    public void close() {
        ferry.close();
    }
}
