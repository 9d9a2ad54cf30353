package dev.ferry.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.agent.runtime.Container;
import dev.ferry.agent.runtime.ContainerLaunch;
import dev.ferry.agent.runtime.ContainerRuntime;
import dev.ferry.agent.testing.FakeRuntime;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class HookRunnerTest {
    private static final Pod POD = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u1")
            .endMetadata().build();
    private static final io.fabric8.kubernetes.api.model.Container SPEC = new ContainerBuilder().withName("c")
            .withPorts(new ContainerPort(8080, null, null, "web", "TCP")).build();
    @TempDir
    Path dir;
    private final List<List<String>> execs = new CopyOnWriteArrayList<>();
    private FakeRuntime runtime;
    private Container container;
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        runtime = new FakeRuntime().exec((c, cmd) -> {
            execs.add(cmd);
            return cmd.getFirst().equals("fail") ? new ContainerRuntime.ExecResult(3, "boom")
                    : new ContainerRuntime.ExecResult(0, "ignored output");
        });
        container = runtime.start(new ContainerLaunch("u1", "ns", "p", "c", 0, "ferry/echo", List.of(), List.of(),
                Map.of(), "", "127.0.0.1", dir.resolve("c.log")));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("User-Agent") + " "
                    + ex.getRequestHeaders().getFirst("X-Hook"));
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private HookRunner.Result run(HookAction action, Duration budget) throws InterruptedException {
        return new HookRunner(runtime).run(action, new HookRunner.Target(POD, SPEC, container, "127.0.0.1"), budget);
    }

    @Test
    void execRunsTheCommandInTheContainer() throws Exception {
        assertThat(run(new HookAction.Exec(List.of("touch", "/x")), Duration.ofSeconds(5)).success()).isTrue();
        assertThat(execs).containsExactly(List.of("touch", "/x"));
    }

    @Test
    void failedExecSaysSoAsTheKubeletDoes() throws Exception {
        HookRunner.Result r = run(new HookAction.Exec(List.of("fail", "now")), Duration.ofSeconds(5));
        assertThat(r.success()).isFalse();
        assertThat(r.message()).isEqualTo("Exec lifecycle hook ([fail now]) for Container \"c\" in Pod "
                + "\"p_ns(u1)\" failed - error: command 'fail now' exited with 3: , message: \"boom\"");
    }

    @Test
    void httpGetGoesToThePodIpAndAnyResponseSucceeds() throws Exception {
        HookRunner.Result r = run(new HookAction.HttpGet(null, "", new IntOrString(server.getAddress().getPort()),
                "/quit", List.of(new HTTPHeader("X-Hook", "pre"))), Duration.ofSeconds(5));
        assertThat(r.success()).isTrue();
        assertThat(requests).containsExactly("/quit kube-lifecycle/1.32 pre");
    }

    @Test
    void httpGetWithoutAResponseFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        HookRunner.Result r = run(new HookAction.HttpGet(null, null, new IntOrString(port), "/quit", List.of()),
                Duration.ofSeconds(5));
        assertThat(r.success()).isFalse();
        assertThat(r.message()).isEqualTo("HTTP lifecycle hook (/quit) for Container \"c\" in Pod \"p_ns(u1)\" "
                + "failed - error: Get \"http://127.0.0.1:" + port + "/quit\": dial tcp 127.0.0.1:" + port
                + ": connect: connection refused");
    }

    @Test
    void httpGetResolvesNamedPorts() throws Exception {
        HookRunner.Result r = run(new HookAction.HttpGet(null, null, new IntOrString("nope"), "/", List.of()),
                Duration.ofSeconds(5));
        assertThat(r.success()).isFalse();
        assertThat(r.message()).endsWith("failed - error: couldn't find port: nope in the container's ports");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void sleepEndsWhenTheBudgetIsSpent() throws Exception {
        assertThat(run(new HookAction.Sleep(3600), Duration.ofMillis(100)).success()).isTrue();
        assertThat(container.exit()).isNotDone();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void sleepEndsWhenTheContainerEnds() throws Exception {
        container.kill();
        assertThat(run(new HookAction.Sleep(3600), Duration.ofHours(1)).success()).isTrue();
    }

    @Test
    void invalidHandlerFails() throws Exception {
        HookRunner.Result r = run(new HookAction.Invalid("invalid handler: tcpSocket is not supported"),
                Duration.ofSeconds(1));
        assertThat(r).isEqualTo(new HookRunner.Result(false,
                "Cannot run handler: invalid handler: tcpSocket is not supported"));
    }
}
