package dev.ferry.apiserver;

import static dev.ferry.apiserver.Fixtures.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiClient.Resp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * pods/binding, the legacy bindings collection and pods/log through the real listener; the node agent's log endpoint
 * is faked by a small HTTP server (it stands for the other component, not for the code under test).
 */
class PodBindingAndLogsTest extends ServerTest {
    private static final String NS = "pods-sub";
    private static FakeKubelet kubelet;

    @BeforeAll
    static void setUp() throws IOException {
        api.createNamespace(NS);
        kubelet = new FakeKubelet();
        Resp node = api.post("/api/v1/nodes", node("node-a", kubelet.port()));
        assertThat(node.status()).as(node.body()).isEqualTo(201);
    }

    @AfterAll
    static void tearDown() {
        kubelet.close();
    }

    // ---- binding ----

    @Test
    void bindingSetsNodeNameAndPodScheduled() {
        createPod("bind-me", "main");
        Resp r = api.post(pod("bind-me") + "/binding", binding("bind-me", "node-a"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("kind").asString()).isEqualTo("Status");
        assertThat(r.json().path("status").asString()).isEqualTo("Success");

        ObjectNode pod = api.get(pod("bind-me")).json();
        assertThat(pod.path("spec").path("nodeName").asString()).isEqualTo("node-a");
        ObjectNode scheduled = condition(pod, "PodScheduled");
        assertThat(scheduled.path("status").asString()).isEqualTo("True");
        assertThat(scheduled.path("lastTransitionTime").asString()).isNotEmpty();
    }

    @Test
    void bindingAnAlreadyBoundPodIsAConflict() {
        createPod("bound-twice", "main");
        assertThat(api.post(pod("bound-twice") + "/binding", binding("bound-twice", "node-a")).status())
                .isEqualTo(201);
        assertStatus(api.post(pod("bound-twice") + "/binding", binding("bound-twice", "node-b")), 409, "Conflict",
                "Operation cannot be fulfilled on pods/binding \"bound-twice\": pod bound-twice is already assigned "
                        + "to node \"node-a\"");
        assertThat(api.get(pod("bound-twice")).json().path("spec").path("nodeName").asString()).isEqualTo("node-a");
    }

    @Test
    void bindingErrors() {
        createPod("bind-errors", "main");
        assertStatus(api.post(pod("missing") + "/binding", binding("missing", "node-a")), 404, "NotFound",
                "pods \"missing\" not found");
        assertStatus(api.post(pod("bind-errors") + "/binding", binding("other", "node-a")), 400, "BadRequest",
                "name in URL does not match name in Binding object");
        assertStatus(api.post(pod("bind-errors") + "/binding", binding("bind-errors", "")), 400, "BadRequest",
                "target.name: Required value");
        assertThat(api.get(pod("bind-errors") + "/binding").status()).isEqualTo(405);
        assertThat(api.get(pod("bind-errors")).json().path("spec").has("nodeName")).isFalse();
    }

    @Test
    void legacyBindingsCollectionBindsByTheBindingsName() {
        createPod("legacy", "main");
        Resp r = api.post("/api/v1/namespaces/" + NS + "/bindings", binding("legacy", "node-a"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(api.get(pod("legacy")).json().path("spec").path("nodeName").asString()).isEqualTo("node-a");
    }

    // ---- logs ----

    @Test
    void logsComeFromTheNodeWithTheOptionsForwarded() {
        createRunningPod("logs-one", "a", "b");
        Resp r = api.get(pod("logs-one") + "/log?container=b&tailLines=5&timestamps=true");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        assertThat(r.body()).isEqualTo("log of " + NS + "/logs-one/b\n");
        assertThat(kubelet.queries).contains("timestamps=true&tailLines=5");
    }

    @Test
    void logsAnswerAPlainTextAccept() throws Exception {
        createRunningPod("logs-accept", "main");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.uri(pod("logs-accept")
                + "/log")).header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("log of " + NS + "/logs-accept/main\n");
    }

    @Test
    void containerChoice() {
        createRunningPod("logs-two", "a", "b");
        assertStatus(api.get(pod("logs-two") + "/log"), 400, "BadRequest",
                "a container name must be specified for pod logs-two, choose one of: [a b]");
        assertStatus(api.get(pod("logs-two") + "/log?container=zz"), 400, "BadRequest",
                "container zz is not valid for pod logs-two");
        createRunningPod("logs-single", "only");
        assertThat(api.get(pod("logs-single") + "/log").body()).isEqualTo("log of " + NS + "/logs-single/only\n");
    }

    @Test
    void defaultContainerAnnotationPicksTheContainer() {
        ObjectNode p = podObject("logs-annotated", "a", "b");
        ((ObjectNode) p.get("metadata")).putObject("annotations").put("kubectl.kubernetes.io/default-container", "b");
        assertThat(api.post(pods(), p).status()).isEqualTo(201);
        bindAndRun("logs-annotated", "a", "b");
        assertThat(api.get(pod("logs-annotated") + "/log").body()).isEqualTo("log of " + NS + "/logs-annotated/b\n");
    }

    @Test
    void unboundPodIsWaitingToStart() {
        createPod("logs-pending", "main");
        assertStatus(api.get(pod("logs-pending") + "/log"), 400, "BadRequest",
                "container \"main\" in pod \"logs-pending\" is waiting to start: ContainerCreating");
        assertStatus(api.get(pod("nope") + "/log"), 404, "NotFound", "pods \"nope\" not found");
        assertStatus(api.get(pod("logs-pending") + "/log?tailLines=-1"), 422, "Invalid",
                "PodLogOptions \"logs-pending\" is invalid: tailLines: Invalid value: -1: must be greater than or "
                        + "equal to 0");
    }

    @Test
    void nodeAnswersArePassedThroughWithTheirCode() {
        createRunningPod("logs-gone", "gone");
        assertStatus(api.get(pod("logs-gone") + "/log"), 404, "NotFound", "no such container: gone");
    }

    @Test
    void unreachableNodeIsAClearServerError() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThat(api.post("/api/v1/nodes", node("node-dead", closedPort)).status()).isEqualTo(201);
        assertThat(api.post(pods(), podObject("logs-dead", "main")).status()).isEqualTo(201);
        assertThat(api.post(pod("logs-dead") + "/binding", binding("logs-dead", "node-dead")).status())
                .isEqualTo(201);
        markRunning("logs-dead", "main");
        ObjectNode s = Fixtures.assertStatusShape(api.get(pod("logs-dead") + "/log"), 500);
        assertThat(s.path("message").asString()).contains("127.0.0.1:" + closedPort).contains("connection refused");
    }

    @Test
    void followStreamsChunksAsTheyComeAndEndsWithTheNode() throws Exception {
        createRunningPod("logs-follow", "main");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(api.uri(pod("logs-follow")
                + "/log?follow=true")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream in = r.body()) {
            byte[] first = new byte[6];
            int n = in.readNBytes(first, 0, first.length);
            assertThat(new String(first, 0, n, StandardCharsets.UTF_8)).isEqualTo("first\n");
            kubelet.release.countDown();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second\n");
        }
    }

    @Test
    void followEndsTheNodeRequestWhenTheClientGoesAway() throws Exception {
        createRunningPod("logs-endless", "main");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(api.uri(pod("logs-endless")
                + "/log?follow=true")).build(), HttpResponse.BodyHandlers.ofInputStream());
        InputStream in = r.body();
        assertThat(new String(in.readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("tick\n");
        in.close();
        http.close();
        await().atMost(Duration.ofSeconds(20)).untilTrue(kubelet.endlessClientGone);
    }

    // ---- helpers ----

    private static String pods() {
        return "/api/v1/namespaces/" + NS + "/pods";
    }

    private static String pod(String name) {
        return pods() + "/" + name;
    }

    private static ObjectNode podObject(String name, String... containers) {
        ObjectNode p = Fixtures.pod(name, Map.of());
        ArrayNode cs = ((ObjectNode) p.get("spec")).putArray("containers");
        for (String c : containers) {
            cs.addObject().put("name", c).put("image", "ferry/echo");
        }
        return p;
    }

    private static void createPod(String name, String... containers) {
        Resp r = api.post(pods(), podObject(name, containers));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static void createRunningPod(String name, String... containers) {
        createPod(name, containers);
        bindAndRun(name, containers);
    }

    private static void bindAndRun(String name, String... containers) {
        Resp b = api.post(pod(name) + "/binding", binding(name, "node-a"));
        assertThat(b.status()).as(b.body()).isEqualTo(201);
        markRunning(name, containers);
    }

    private static void markRunning(String name, String... containers) {
        ObjectNode p = api.get(pod(name)).json();
        ObjectNode status = (ObjectNode) p.get("status");
        status.put("phase", "Running");
        ArrayNode statuses = status.putArray("containerStatuses");
        for (String c : containers) {
            ObjectNode s = statuses.addObject();
            s.put("name", c).put("ready", true).put("restartCount", 0).put("image", "ferry/echo").put("imageID", "");
            s.putObject("state").putObject("running").put("startedAt", "2026-01-01T00:00:00Z");
        }
        Resp r = api.put(pod(name) + "/status", p);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    static ObjectNode binding(String name, String node) {
        ObjectNode b = Json.object();
        b.put("apiVersion", "v1");
        b.put("kind", "Binding");
        b.putObject("metadata").put("name", name);
        b.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", node);
        return b;
    }

    static ObjectNode node(String name, int kubeletPort) {
        ObjectNode n = Json.object();
        n.put("apiVersion", "v1");
        n.put("kind", "Node");
        n.putObject("metadata").put("name", name);
        ObjectNode status = n.putObject("status");
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", "127.0.0.1");
        addresses.addObject().put("type", "Hostname").put("address", name);
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", kubeletPort);
        return n;
    }

    private static ObjectNode condition(ObjectNode pod, String type) {
        for (var c : pod.path("status").path("conditions")) {
            if (c.path("type").asString().equals(type)) {
                return (ObjectNode) c;
            }
        }
        throw new AssertionError("no " + type + " condition in " + pod);
    }

    /** The node agent's {@code /containerLogs/{ns}/{pod}/{container}} endpoint, faked. */
    static final class FakeKubelet implements AutoCloseable {
        final List<String> queries = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean endlessClientGone = new AtomicBoolean();
        private final HttpServer server;

        FakeKubelet() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/containerLogs/", this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange ex) throws IOException {
            String[] parts = ex.getRequestURI().getPath().split("/");
            String ns = parts[2];
            String pod = parts[3];
            String container = parts[4];
            queries.add(String.valueOf(ex.getRequestURI().getQuery()));
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            if (container.equals("gone")) {
                byte[] body = "no such container: gone".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(404, body.length);
                ex.getResponseBody().write(body);
                ex.close();
                return;
            }
            if (pod.equals("logs-follow")) {
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write("first\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.write("second\n".getBytes(StandardCharsets.UTF_8));
                ex.close();
                return;
            }
            if (pod.equals("logs-endless")) {
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                try {
                    for (int i = 0; i < 600; i++) {
                        out.write("tick\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException e) {
                    endlessClientGone.set(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            byte[] body = ("log of " + ns + "/" + pod + "/" + container + "\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
