package dev.ferry.agent;

import static dev.ferry.agent.testing.PodStatuses.condition;
import static dev.ferry.agent.testing.PodStatuses.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.agent.runtime.ContainerRuntime;
import dev.ferry.agent.testing.FakeRuntime;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a real in-process API server, with a {@link FakeRuntime}. */
class NodeAgentTest extends AgentApiTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final AtomicInteger NODES = new AtomicInteger();
    private final List<AutoCloseable> closing = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void stopAgents() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private String node() {
        return "node-" + NODES.incrementAndGet();
    }

    private NodeAgent agent(String node, ContainerRuntime runtime, Path stateDir) throws IOException {
        NodeAgent a = NodeAgent.start(client, AgentConfig.defaults(node, stateDir)
                .withHeartbeatInterval(Duration.ofMillis(500)), runtime, Clock.systemUTC());
        closing.add(a);
        return a;
    }

    /** A registered node with a pod CIDR, as the node IPAM controller would assign it. */
    private NodeAgent readyAgent(String node, ContainerRuntime runtime, Path stateDir, int subnet) throws IOException {
        NodeAgent a = agent(node, runtime, stateDir);
        setPodCidr(node, "127.244." + subnet + ".0/24");
        return a;
    }

    private static void setPodCidr(String node, String cidr) {
        client.nodes().withName(node).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"podCIDR\":\"" + cidr + "\"}}");
    }

    private static Pod create(Pod pod) {
        return client.pods().inNamespace("default").resource(pod).create();
    }

    private static PodBuilder pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("ferry/serve-hostname")
                .endContainer().endSpec();
    }

    private static Pod get(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    private static List<Event> events(Pod pod) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> pod.getMetadata().getUid().equals(e.getInvolvedObject().getUid())).toList();
    }

    @Test
    void registersTheNodeAndRunsPodsOnceItHasAPodCidr() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime();
        NodeAgent agent = agent(node, runtime, dir);
        Node n = client.nodes().withName(node).get();
        assertThat(n.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", node)
                .containsEntry("kubernetes.io/os", "linux").containsKey("kubernetes.io/arch");
        assertThat(n.getStatus().getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=127.0.0.1", "Hostname=" + node);
        assertThat(n.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(agent.kubeletPort());
        assertThat(n.getStatus().getCapacity().get("pods").toString()).isEqualTo("110");
        assertThat(n.getStatus().getAllocatable()).containsKeys("cpu", "memory", "pods");
        assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.0");
        NodeCondition ready = n.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
                .findFirst().orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getReason()).isEqualTo("KubeletReady");
        assertThat(ready.getMessage()).isEqualTo("kubelet is posting ready status");
        assertThat(n.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
                .contains("MemoryPressure=False", "DiskPressure=False", "PIDPressure=False");
        String firstBeat = ready.getLastHeartbeatTime();

        Pod pod = create(pod("web", node).build());
        assertThat(agent.podsRunning()).isNotDone();
        assertThat(runtime.containers()).isEmpty();

        setPodCidr(node, "127.244.9.0/24");
        await().atMost(DEADLINE).until(() -> "True".equals(condition(get("web"), "Ready")));
        Pod running = get("web");
        assertThat(running.getStatus().getPhase()).isEqualTo("Running");
        assertThat(running.getStatus().getPodIP()).startsWith("127.244.9.");
        assertThat(running.getStatus().getPodIPs()).hasSize(1);
        assertThat(running.getStatus().getHostIP()).isEqualTo("127.0.0.1");
        assertThat(running.getStatus().getStartTime()).isNotNull();
        ContainerStatus cs = status(running, "c");
        assertThat(cs.getState().getRunning()).isNotNull();
        assertThat(cs.getContainerID()).isEqualTo("ferry://" + runtime.of("web", "c").get(0).id());
        assertThat(cs.getReady()).isTrue();
        assertThat(cs.getStarted()).isTrue();
        assertThat(condition(running, "ContainersReady")).isEqualTo("True");
        assertThat(condition(running, "Initialized")).isEqualTo("True");
        assertThat(condition(running, "PodReadyToStartContainers")).isEqualTo("True");
        var launch = runtime.of("web", "c").get(0).launch();
        assertThat(launch.podIp()).isEqualTo(running.getStatus().getPodIP());
        assertThat(launch.env()).containsEntry("POD_IP", launch.podIp()).containsEntry("HOSTNAME", "web");
        assertThat(launch.podUid()).isEqualTo(pod.getMetadata().getUid());

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(events(pod)).extracting(Event::getReason)
                .contains("Pulled", "Created", "Started"));
        Event pulled = events(pod).stream().filter(e -> e.getReason().equals("Pulled")).findFirst().orElseThrow();
        assertThat(pulled.getMessage())
                .isEqualTo("Container image \"ferry/serve-hostname\" already present on machine");
        assertThat(pulled.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(pulled.getSource().getHost()).isEqualTo(node);
        assertThat(pulled.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{c}");

        await().atMost(DEADLINE).until(() -> !firstBeat.equals(client.nodes().withName(node).get().getStatus()
                .getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow()
                .getLastHeartbeatTime()));
        assertThat(runtime.of("web", "c")).hasSize(1);
    }

    @Test
    void readinessProbeTogglesReady() throws Exception {
        AtomicInteger code = new AtomicInteger(503);
        HttpServer probed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        probed.createContext("/ready", ex -> {
            ex.sendResponseHeaders(code.get(), -1);
            ex.close();
        });
        probed.start();
        closing.add(() -> probed.stop(0));
        String node = node();
        readyAgent(node, new FakeRuntime(), dir, 10);
        create(pod("probed", node).editSpec().editFirstContainer().withNewReadinessProbe().withNewHttpGet()
                .withHost("127.0.0.1").withPath("/ready").withPort(new IntOrString(probed.getAddress().getPort()))
                .endHttpGet().withPeriodSeconds(1).withFailureThreshold(1).endReadinessProbe().endContainer()
                .endSpec().build());
        await().atMost(DEADLINE).until(() -> status(get("probed"), "c") != null
                && status(get("probed"), "c").getState().getRunning() != null);
        Pod unready = get("probed");
        assertThat(condition(unready, "Ready")).isEqualTo("False");
        assertThat(status(unready, "c").getReady()).isFalse();
        // repeats of one event are counted on it, not written as new events
        String failed = "Readiness probe failed: HTTP probe failed with statuscode: 503";
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(events(unready))
                .filteredOn(e -> e.getMessage().equals(failed)).singleElement()
                .satisfies(e -> assertThat(e.getCount()).isGreaterThan(1)));

        code.set(200);
        await().atMost(DEADLINE).until(() -> "True".equals(condition(get("probed"), "Ready")));
        assertThat(status(get("probed"), "c").getReady()).isTrue();

        code.set(500);
        await().atMost(DEADLINE).until(() -> "False".equals(condition(get("probed"), "Ready")));
        assertThat(get("probed").getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void crashingContainerRestartsThenBacksOff() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime().behave(l -> new FakeRuntime.Exit(1));
        NodeAgent agent = readyAgent(node, runtime, dir, 11);
        Pod pod = create(pod("crash", node).build());
        await().atMost(DEADLINE).until(() -> {
            ContainerStatus s = status(get("crash"), "c");
            return s != null && s.getState().getWaiting() != null
                    && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason());
        });
        ContainerStatus s = status(get("crash"), "c");
        assertThat(s.getRestartCount()).isEqualTo(1);
        assertThat(s.getState().getWaiting().getMessage()).isEqualTo(
                "back-off 10s restarting failed container=c pod=crash_default(" + pod.getMetadata().getUid() + ")");
        assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(s.getLastState().getTerminated().getReason()).isEqualTo("Error");
        assertThat(s.getReady()).isFalse();
        assertThat(runtime.of("crash", "c")).extracting(c -> c.launch().attempt()).containsExactly(0, 1);
        assertThat(get("crash").getStatus().getPhase()).isEqualTo("Running");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(events(pod)).extracting(Event::getReason)
                .contains("BackOff"));

        HttpResponse<String> current = logs(agent, "crash", "c", "");
        assertThat(current.statusCode()).isEqualTo(200);
        assertThat(current.body()).isEqualTo("hello from c attempt 1\n");
        // as the kubelet: a container waiting to restart serves its last attempt, with or without previous
        HttpResponse<String> previous = logs(agent, "crash", "c", "?previous=true");
        assertThat(previous.body()).isEqualTo("hello from c attempt 1\n");
    }

    @Test
    void startFailureIsReportedAndRetried() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime()
                .behave(l -> new FakeRuntime.Fail("ErrImagePull", "image \"nope\" is not known"));
        NodeAgent agent = readyAgent(node, runtime, dir, 12);
        Pod pod = create(pod("nope", node).editSpec().editFirstContainer().withImage("nope").endContainer().endSpec()
                .build());
        await().atMost(DEADLINE).until(() -> {
            ContainerStatus s = status(get("nope"), "c");
            return s != null && s.getState().getWaiting() != null
                    && "ErrImagePull".equals(s.getState().getWaiting().getReason());
        });
        assertThat(status(get("nope"), "c").getState().getWaiting().getMessage())
                .isEqualTo("image \"nope\" is not known");
        assertThat(get("nope").getStatus().getPhase()).isEqualTo("Pending");
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(events(pod))
                .anyMatch(e -> e.getReason().equals("Failed") && e.getType().equals("Warning")
                        && e.getMessage().contains("image \"nope\" is not known")));
        HttpResponse<String> logs = logs(agent, "nope", "c", "");
        assertThat(logs.statusCode()).isEqualTo(404);
        assertThat(logs.body()).isEqualTo("container \"c\" in pod \"nope\" is waiting to start: ErrImagePull");
    }

    @Test
    void logsOfARunningContainer() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime();
        NodeAgent agent = readyAgent(node, runtime, dir, 13);
        create(pod("talk", node).build());
        await().atMost(DEADLINE).until(() -> "True".equals(condition(get("talk"), "Ready")));
        assertThat(logs(agent, "talk", "c", "").body()).isEqualTo("hello from c attempt 0\n");
        HttpResponse<String> previous = logs(agent, "talk", "c", "?previous=true");
        assertThat(previous.statusCode()).isEqualTo(404);
        assertThat(previous.body()).isEqualTo("previous terminated container \"c\" in pod \"talk\" not found");
        assertThat(logs(agent, "talk", "nope", "").statusCode()).isEqualTo(404);
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + agent.kubeletPort() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).isEqualTo("ok");
    }

    @Test
    void gracefulDeletionStopsTheContainerThenRemovesThePod() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime();
        readyAgent(node, runtime, dir, 14);
        create(pod("bye", node).build());
        await().atMost(DEADLINE).until(() -> "True".equals(condition(get("bye"), "Ready")));
        List<Pod> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var watch = client.pods().inNamespace("default").withName("bye").watch(new io.fabric8.kubernetes.client
                .Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(pod);
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        });
        closing.add(watch::close);
        client.pods().inNamespace("default").withName("bye").delete();
        await().atMost(DEADLINE).until(() -> get("bye") == null);
        // before the object goes, its status shows the container terminated by SIGTERM
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(seen).anyMatch(p ->
                p.getMetadata().getDeletionTimestamp() != null && status(p, "c").getState().getTerminated() != null
                        && status(p, "c").getState().getTerminated().getExitCode() == 143
                        && p.getStatus().getPhase().equals("Failed")));
        FakeRuntime.FakeContainer c = runtime.of("bye", "c").get(0);
        assertThat(c.terminated()).isTrue();
        assertThat(c.exitCode()).isEqualTo(143);
        assertThat(runtime.of("bye", "c")).hasSize(1);
    }

    @Test
    void containerIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime().ignoreSigterm(true);
        readyAgent(node, runtime, dir, 15);
        create(pod("stubborn", node).build());
        await().atMost(DEADLINE).until(() -> "True".equals(condition(get("stubborn"), "Ready")));
        client.pods().inNamespace("default").withName("stubborn").withGracePeriod(1).delete();
        FakeRuntime.FakeContainer c = runtime.of("stubborn", "c").get(0);
        await().atMost(DEADLINE).until(c::terminated);
        Pod terminating = get("stubborn");
        assertThat(terminating == null || terminating.getMetadata().getDeletionTimestamp() != null).isTrue();
        await().atMost(DEADLINE).until(() -> get("stubborn") == null);
        assertThat(c.exitCode()).isEqualTo(137);
    }

    @Test
    void podRemovedFromTheApiHasItsContainersKilled() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime();
        readyAgent(node, runtime, dir, 16);
        create(pod("gone", node).build());
        await().atMost(DEADLINE).until(() -> "True".equals(condition(get("gone"), "Ready")));
        client.pods().inNamespace("default").withName("gone").withGracePeriod(0).delete();
        FakeRuntime.FakeContainer c = runtime.of("gone", "c").get(0);
        await().atMost(DEADLINE).until(() -> !c.running());
        assertThat(c.exitCode()).isEqualTo(137);
    }

    @Test
    void initContainersRunToCompletionFirst() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime()
                .behave(l -> l.containerName().startsWith("init") ? new FakeRuntime.Exit(0) : FakeRuntime.RUN);
        readyAgent(node, runtime, dir, 17);
        create(pod("inits", node).editSpec().addNewInitContainer().withName("init1").withImage("ferry/echo")
                .endInitContainer().addNewInitContainer().withName("init2").withImage("ferry/echo")
                .endInitContainer().endSpec().build());
        await().atMost(DEADLINE).until(() -> "True".equals(condition(get("inits"), "Ready")));
        List<String> order = runtime.containers().stream().filter(c -> c.launch().podName().equals("inits"))
                .map(c -> c.launch().containerName()).toList();
        assertThat(order).containsExactly("init1", "init2", "c");
        Pod p = get("inits");
        assertThat(condition(p, "Initialized")).isEqualTo("True");
        assertThat(p.getStatus().getInitContainerStatuses()).extracting(s -> s.getState().getTerminated().getReason())
                .containsExactly("Completed", "Completed");
    }

    @Test
    void failedLivenessProbeRestartsTheContainer() throws Exception {
        String node = node();
        AtomicInteger execs = new AtomicInteger();
        FakeRuntime runtime = new FakeRuntime().exec((c, cmd) -> c.launch().attempt() == 0
                ? new ContainerRuntime.ExecResult(1, "not alive " + execs.incrementAndGet())
                : new ContainerRuntime.ExecResult(0, ""));
        NodeAgent agent = readyAgent(node, runtime, dir, 18);
        Pod pod = create(pod("alive", node).editSpec().editFirstContainer().withNewLivenessProbe().withNewExec()
                .withCommand("check").endExec().withPeriodSeconds(1).withFailureThreshold(1)
                .endLivenessProbe().endContainer().endSpec().build());
        await().atMost(DEADLINE).until(() -> runtime.of("alive", "c").size() == 2);
        assertThat(runtime.of("alive", "c").get(0).terminated()).isTrue();
        await().atMost(DEADLINE).until(() -> {
            ContainerStatus s = status(get("alive"), "c");
            return s != null && s.getRestartCount() == 1 && s.getState().getRunning() != null;
        });
        assertThat(status(get("alive"), "c").getLastState().getTerminated().getExitCode()).isEqualTo(143);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(events(pod)).extracting(Event::getMessage)
                .contains("Container c failed liveness probe, will be restarted")
                .anyMatch(m -> m.startsWith("Liveness probe failed: not alive")));
        assertThat(logs(agent, "alive", "c", "").body()).isEqualTo("hello from c attempt 1\n");
        assertThat(logs(agent, "alive", "c", "?previous=true").body()).isEqualTo("hello from c attempt 0\n");
    }

    @Test
    void imageChangeRestartsTheContainer() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime();
        readyAgent(node, runtime, dir, 20);
        Pod pod = create(pod("upgrade", node).build());
        await().atMost(DEADLINE).until(() -> "True".equals(condition(get("upgrade"), "Ready")));
        client.pods().inNamespace("default").withName("upgrade").edit(p -> new PodBuilder(p).editSpec()
                .editFirstContainer().withImage("ferry/echo").endContainer().endSpec().build());
        await().atMost(DEADLINE).until(() -> {
            ContainerStatus s = status(get("upgrade"), "c");
            return s != null && s.getRestartCount() == 1 && s.getState().getRunning() != null
                    && s.getImage().equals("ferry/echo");
        });
        assertThat(runtime.of("upgrade", "c")).extracting(c -> c.launch().image())
                .containsExactly("ferry/serve-hostname", "ferry/echo");
        assertThat(runtime.of("upgrade", "c").get(0).exitCode()).isEqualTo(143);
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(events(pod)).extracting(Event::getMessage)
                .contains("Container c definition changed, will be restarted"));
    }

    @Test
    void completedPodSucceedsAndReleasesItsIp() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime().behave(l -> new FakeRuntime.Exit(0));
        NodeAgent agent = readyAgent(node, runtime, dir, 22);
        Pod pod = create(pod("job", node).editSpec().withRestartPolicy("Never").endSpec().build());
        await().atMost(DEADLINE).until(() -> get("job").getStatus() != null
                && "Succeeded".equals(get("job").getStatus().getPhase()));
        Pod done = get("job");
        assertThat(status(done, "c").getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(status(done, "c").getState().getTerminated().getExitCode()).isZero();
        assertThat(done.getStatus().getPodIP()).startsWith("127.244.22.");
        assertThat(runtime.of("job", "c")).hasSize(1);
        var pods = agent.podsRunning().get(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        await().atMost(DEADLINE).until(() -> pods.podIp(pod.getMetadata().getUid()) == null);
    }

    @Test
    void hostNetworkPodsUseTheNodeIp() throws Exception {
        String node = node();
        readyAgent(node, new FakeRuntime(), dir, 21);
        create(pod("host", node).editSpec().withHostNetwork(true).endSpec().build());
        await().atMost(DEADLINE).until(() -> "True".equals(condition(get("host"), "Ready")));
        assertThat(get("host").getStatus().getPodIP()).isEqualTo("127.0.0.1");
    }

    @Test
    void restartedAgentAdoptsRunningContainers() throws Exception {
        String node = node();
        FakeRuntime runtime = new FakeRuntime();
        NodeAgent first = readyAgent(node, runtime, dir, 19);
        create(pod("keep", node).build());
        create(pod("dies", node).build());
        create(pod("deleted", node).build());
        for (String p : List.of("keep", "dies", "deleted")) {
            await().atMost(DEADLINE).until(() -> "True".equals(condition(get(p), "Ready")));
        }
        String ip = get("keep").getStatus().getPodIP();
        String id = runtime.of("keep", "c").get(0).id();
        first.close();
        closing.remove(first);

        runtime.of("dies", "c").get(0).exitWith(2);
        client.pods().inNamespace("default").withName("deleted").withGracePeriod(0).delete();
        await().atMost(DEADLINE).until(() -> get("deleted") == null);

        agent(node, runtime, dir).podsRunning().get(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        await().atMost(DEADLINE).until(() -> {
            ContainerStatus s = status(get("dies"), "c");
            return s != null && s.getRestartCount() == 1 && s.getState().getRunning() != null;
        });
        assertThat(runtime.of("dies", "c")).hasSize(2);
        assertThat(runtime.of("dies", "c").get(1).launch().attempt()).isEqualTo(1);
        assertThat(runtime.of("keep", "c")).hasSize(1);
        assertThat(runtime.of("keep", "c").get(0).running()).isTrue();
        Pod keep = get("keep");
        assertThat(keep.getStatus().getPodIP()).isEqualTo(ip);
        assertThat(status(keep, "c").getContainerID()).isEqualTo("ferry://" + id);
        assertThat(status(keep, "c").getRestartCount()).isZero();
        await().atMost(DEADLINE).until(() -> !runtime.of("deleted", "c").get(0).running());
    }

    @Test
    void renewsTheNodeLeaseWhenTheApiServesLeases() throws Exception {
        boolean served = client.getApiGroups().getGroups().stream()
                .anyMatch(g -> g.getName().equals("coordination.k8s.io"));
        org.junit.jupiter.api.Assumptions.assumeTrue(served, "coordination.k8s.io/v1 Lease not served yet");
        String node = node();
        agent(node, new FakeRuntime(), dir);
        var leases = client.resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
                .inNamespace("kube-node-lease");
        await().atMost(DEADLINE).until(() -> leases.withName(node).get() != null);
        var lease = leases.withName(node).get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(node);
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        var renewed = lease.getSpec().getRenewTime();
        await().atMost(DEADLINE).until(() -> !renewed.equals(leases.withName(node).get().getSpec().getRenewTime()));
    }

    private static HttpResponse<String> logs(NodeAgent agent, String pod, String container, String query)
            throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + agent.kubeletPort() + "/containerLogs/default/" + pod + "/" + container + query)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
