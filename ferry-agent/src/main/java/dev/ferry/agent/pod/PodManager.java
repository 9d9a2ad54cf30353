package dev.ferry.agent.pod;

import dev.ferry.agent.dns.DnsEvent;
import dev.ferry.agent.dns.ResolvConfFiles;
import dev.ferry.agent.lifecycle.GracePeriods;
import dev.ferry.agent.lifecycle.HookAction;
import dev.ferry.agent.lifecycle.HookRunner;
import dev.ferry.agent.probe.ProbeManager;
import dev.ferry.agent.probe.ProbeType;
import dev.ferry.agent.probe.Prober;
import dev.ferry.agent.runtime.Container;
import dev.ferry.agent.runtime.ContainerLaunch;
import dev.ferry.agent.runtime.ContainerRuntime;
import dev.ferry.agent.server.ContainerLogs;
import dev.ferry.client.Backoff;
import dev.ferry.client.ControllerLoop;
import dev.ferry.client.WorkQueue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the pods bound to this node (the kubelet's pod workers). An informer on pods with
 * {@code spec.nodeName=<node>} feeds a work queue keyed by pod uid; a small pool of workers syncs one pod at a time
 * each (the queue never hands one uid to two workers). A sync plans with {@link PodPlanner}, carries the plan out
 * through the {@link ContainerRuntime}, builds the status with {@link PodStatusBuilder} and writes it (status
 * subresource, merge patch) only when it differs from the pod's. Container exits, probe result changes and the plan's
 * wake-up time queue the pod again; an idle pod costs no thread.
 * <p>
 * On {@link #start}, containers an earlier agent run left running ({@link ContainerRuntime#recover}) are adopted by
 * the pods still bound here, and killed otherwise; a pod whose containers no longer run starts them again, counting a
 * restart. A pod gone from the API has its containers killed and its IP released. Container logs live under
 * {@code stateDir/pods/<uid>/<container>/<attempt>.log}, so the previous attempt's log is found after a restart too.
 * <p>
 * Lifecycle hooks run on virtual threads, never on a pod worker, and are abandoned (interrupted) when their container
 * ends. A postStart hook runs right after the start; until it succeeds the container is neither started nor ready and
 * has no probes, and a failure stops the container (event FailedPostStartHook) to restart per policy. A stop runs the
 * preStop hook first, for at most the grace period, then sends SIGTERM; SIGKILL follows per {@link GracePeriods}.
 * A failed hook records FailedPreStopHook and the stop goes on. As the kubelet's, these events do not carry the
 * hook's output (it may hold secrets); the log does.
 */
public final class PodManager implements ContainerLogs, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PodManager.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** postStart hooks have no time limit at the kubelet; this one only keeps timeouts finite. */
    static final Duration POST_START_LIMIT = Duration.ofDays(1);
    private final KubernetesClient client;
    private final Settings settings;
    private final ContainerRuntime runtime;
    private final ContainerSetup setup;
    private final ResolvConfFiles dns;
    private final Clock clock;
    private final EventRecorder events;
    private final PodIpAllocator ips;
    private final ProbeManager probes;
    private final WorkQueue<String> queue;
    private final Map<String, PodRecord> records = new ConcurrentHashMap<>();
    private final Map<String, String> uidByKey = new ConcurrentHashMap<>();
    private final HookRunner hooks;
    /** Runs lifecycle hooks and what follows them; shut down (hooks interrupted) on {@link #close}. */
    private final ExecutorService hookThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("lifecycle-hook-", 0).factory());
    private SharedIndexInformer<Pod> informer;
    private ControllerLoop<String> loop;

    /**
     * @param podCidr the node's spec.podCIDR
     * @param workers how many pods sync at once
     */
    public record Settings(String nodeName, String nodeIp, String podCidr, Path stateDir, int workers) {
    }

    /**
     * @param dns forms and writes each pod's resolv.conf ({@code stateDir/pods/<uid>/resolv.conf}) once, before its
     *            first container starts; its Warning events are recorded about the pod
     */
    public PodManager(KubernetesClient client, Settings settings, ContainerRuntime runtime, ContainerSetup setup,
            ResolvConfFiles dns, Clock clock, EventRecorder events) {
        this.client = client;
        this.setup = setup;
        this.dns = dns;
        this.settings = settings;
        this.runtime = runtime;
        this.clock = clock;
        this.events = events;
        this.hooks = new HookRunner(runtime);
        this.ips = new PodIpAllocator(settings.podCidr(), settings.stateDir().resolve("pod-ips"));
        this.queue = new WorkQueue<>("pods-" + settings.nodeName(),
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30)));
        this.probes = new ProbeManager(new Prober(runtime), clock, new ProbeManager.Listener() {
            @Override
            public void changed(String podUid) {
                queue.add(podUid);
            }

            @Override
            public void failed(Pod pod, String container, ProbeType type, String message) {
                events.pod(pod, container, false, EventRecorder.WARNING, "Unhealthy",
                        type.title() + " probe failed: " + message);
            }
        });
    }

    /** Syncs the pod cache, adopts or kills recovered containers, then starts the workers. */
    public synchronized PodManager start() {
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", settings.nodeName())
                .runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                upsert(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                upsert(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                PodRecord rec = records.get(pod.getMetadata().getUid());
                if (rec != null) {
                    rec.gone = true;
                    queue.add(rec.uid);
                }
            }
        });
        try {
            informer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the pod cache", e);
        } catch (Exception e) {
            throw new IllegalStateException("the pod cache of node " + settings.nodeName() + " did not sync: " + e, e);
        }
        recover();
        loop = new ControllerLoop<>("pods-" + settings.nodeName(), queue, this::sync, Integer.MAX_VALUE)
                .start(Math.max(1, settings.workers()));
        return this;
    }

    private void upsert(Pod pod) {
        String uid = pod.getMetadata().getUid();
        PodRecord rec = records.computeIfAbsent(uid, u -> PodRecord.fromStatus(pod, clock.instant()));
        rec.pod = pod;
        uidByKey.put(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), uid);
        queue.add(uid);
    }

    /** Adopts the containers of pods still bound here (one per container name: the latest attempt), kills the rest. */
    private void recover() {
        // handlers are told about cached pods asynchronously: take the synced cache itself
        informer.getStore().list().forEach(this::upsert);
        List<Container> found = runtime.recover().stream()
                .sorted(Comparator.comparingInt((Container c) -> c.launch().attempt())).toList();
        for (Container c : found) {
            ContainerLaunch l = c.launch();
            PodRecord rec = records.get(l.podUid());
            boolean known = rec != null && !rec.gone && (specOf(rec.pod, l.containerName()) != null);
            if (!known) {
                log.info("killing container {} of pod {}/{} ({}): the pod is no longer bound to this node", c.id(),
                        l.namespace(), l.podName(), l.podUid());
                c.kill();
                continue;
            }
            Container duplicate;
            synchronized (rec) {
                duplicate = rec.live.put(l.containerName(), c);
                ContainerHistory r = rec.container(l.containerName(), isInit(rec.pod, l.containerName()));
                rec.containers.put(l.containerName(),
                        r.started(ContainerHistory.Running.started(c.id(), l.attempt(), c.startedAt(), l.image()),
                                r.backoff()));
            }
            if (duplicate != null) {
                log.warn("killing duplicate container {} of {}/{}", duplicate.id(), l.podName(), l.containerName());
                duplicate.kill();
            }
            if (rec.podIp == null && l.podIp() != null && ips.claim(rec.uid, l.podIp())) {
                rec.podIp = l.podIp();
            }
            watchExit(rec, l.containerName(), c);
            var spec = specOf(rec.pod, l.containerName());
            if (!isInit(rec.pod, l.containerName())) {
                var status = rec.pod.getStatus() == null || rec.pod.getStatus().getContainerStatuses() == null ? null
                        : rec.pod.getStatus().getContainerStatuses().stream()
                                .filter(s -> PodStatusBuilder.containerId(c.id()).equals(s.getContainerID()))
                                .findFirst().orElse(null);
                probes.add(rec.pod, spec, c, l.podIp(), status != null && Boolean.TRUE.equals(status.getStarted()),
                        status != null && Boolean.TRUE.equals(status.getReady()));
            }
            log.info("adopted container {} ({}) of pod {}/{}", c.id(), l.containerName(), l.namespace(), l.podName());
        }
        ips.retain(records.keySet());
        for (PodRecord rec : records.values()) {
            String ip = ips.get(rec.uid);
            if (ip != null) {
                rec.podIp = ip;
            }
        }
    }

    private void watchExit(PodRecord rec, String name, Container c) {
        c.exit().whenComplete((code, err) -> onExit(rec, name, c, code == null ? -1 : code));
    }

    private void onExit(PodRecord rec, String name, Container c, int code) {
        synchronized (rec) {
            if (rec.live.get(name) != c) {
                return;
            }
            rec.live.remove(name);
            ContainerHistory r = rec.containers.get(name);
            if (r != null && r.running() != null && r.running().containerId().equals(c.id())) {
                rec.containers.put(name, r.exited(Termination.of(c.id(), r.running().attempt(), code,
                        r.running().startedAt(), clock.instant())));
            }
        }
        probes.remove(rec.uid, name);
        queue.add(rec.uid);
    }

    /** One sync of one pod; throwing retries it with back-off. */
    void sync(String uid) throws Exception {
        PodRecord rec = records.get(uid);
        if (rec == null) {
            return;
        }
        if (rec.gone) {
            syncGone(rec);
            return;
        }
        if (rec.finished) {
            return;
        }
        Pod pod = rec.pod;
        Instant now = clock.instant();
        Map<String, ContainerHistory> snapshot = rec.snapshot();
        if (rec.podIp == null && !PodPhases.deleting(pod)) {
            if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
                rec.podIp = settings.nodeIp();
            } else if (PodPhases.terminal(PodPhases.phase(pod, snapshot))) {
                rec.podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            } else {
                try {
                    rec.podIp = ips.allocate(uid);
                } catch (IllegalStateException e) {
                    events.pod(pod, null, false, EventRecorder.WARNING, "FailedCreatePodSandBox",
                            "Failed to create pod sandbox: " + e.getMessage());
                    throw e;
                }
            }
        }
        PodPlan plan = PodPlanner.plan(pod, snapshot, views(rec, snapshot), now);
        boolean resync = false;
        boolean delete = false;
        for (PodAction action : plan.actions()) {
            switch (action) {
                case PodAction.Start s -> resync |= !start(rec, pod, s);
                case PodAction.Terminate t -> terminate(rec, pod, t);
                case PodAction.Kill k -> kill(rec, k.container());
                case PodAction.BackOff b -> backOff(rec, pod, b);
                case PodAction.DeletePod d -> delete = true;
            }
        }
        snapshot = rec.snapshot();
        PodStatus status = PodStatusBuilder.build(pod, snapshot, views(rec, snapshot), rec.podIp, settings.nodeIp(),
                clock.instant());
        writeStatus(rec, pod, status);
        if (delete) {
            deletePod(rec, pod);
            return;
        }
        if (PodPhases.terminal(status.getPhase())
                && rec.snapshot().values().stream().allMatch(r -> r.running() == null)) {
            // a terminal pod's IP goes back to the pool; its status keeps showing it, as the kubelet's does
            ips.release(uid);
        }
        if (resync) {
            queue.add(uid);
        } else if (plan.wakeAt() != null) {
            queue.addAfter(uid, Duration.between(clock.instant(), plan.wakeAt()).plusMillis(5));
        }
    }

    private Map<String, ProbeView> views(PodRecord rec, Map<String, ContainerHistory> snapshot) {
        Map<String, ProbeView> views = new HashMap<>();
        for (ContainerHistory r : snapshot.values()) {
            if (r.running() != null) {
                views.put(r.name(), r.running().postStart() == ContainerHistory.PostStart.DONE
                        ? probes.view(rec.uid, r.name(), r.running().containerId())
                        : new ProbeView(false, false, false));
            }
        }
        return views;
    }

    /** Starts one attempt; false when the runtime refused (the failure is recorded for back-off). */
    private boolean start(PodRecord rec, Pod pod, PodAction.Start s) {
        var spec = specOf(pod, s.container());
        String ip = rec.podIp;
        Container c;
        try {
            var resolved = setup.resolve(pod, spec, ip, settings.nodeIp());
            Path resolvConf = resolvConf(rec, pod);
            c = runtime.start(new ContainerLaunch(rec.uid, pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), s.container(), s.attempt(), spec.getImage(), resolved.command(),
                    resolved.args(), resolved.env(), spec.getWorkingDir() == null ? "" : spec.getWorkingDir(), ip,
                    logFile(rec.uid, s.container(), s.attempt()), resolvConf));
        } catch (ContainerRuntime.StartFailure f) {
            synchronized (rec) {
                ContainerHistory r = rec.container(s.container(), s.init());
                rec.containers.put(s.container(), r.startFailed(
                        new StartError(f.reason(), f.getMessage(), clock.instant()), s.backoffAfter()));
            }
            events.pod(pod, s.container(), s.init(), EventRecorder.WARNING, "Failed", "Error: " + f.getMessage());
            return false;
        }
        HookAction postStart = spec.getLifecycle() == null ? null : HookAction.of(spec.getLifecycle().getPostStart());
        synchronized (rec) {
            ContainerHistory r = rec.container(s.container(), s.init());
            rec.live.put(s.container(), c);
            var running = ContainerHistory.Running.started(c.id(), s.attempt(), c.startedAt(), spec.getImage());
            rec.containers.put(s.container(), r.started(postStart == null ? running
                    : running.withPostStart(ContainerHistory.PostStart.PENDING), s.backoffAfter()));
        }
        watchExit(rec, s.container(), c);
        if (postStart == null && !s.init()) {
            probes.add(pod, spec, c, ip);
        }
        events.pod(pod, s.container(), s.init(), EventRecorder.NORMAL, "Pulled",
                "Container image \"" + spec.getImage() + "\" already present on machine");
        events.pod(pod, s.container(), s.init(), EventRecorder.NORMAL, "Created",
                "Created container: " + s.container());
        events.pod(pod, s.container(), s.init(), EventRecorder.NORMAL, "Started", "Started container " + s.container());
        if (postStart != null) {
            postStart(rec, pod, spec, c, ip, s.init(), postStart);
        }
        return true;
    }

    /** Runs the postStart hook of a container just started; its outcome (if the container still runs) syncs the pod. */
    private void postStart(PodRecord rec, Pod pod, io.fabric8.kubernetes.api.model.Container spec, Container c,
            String ip, boolean init, HookAction action) {
        String name = spec.getName();
        runHook(action, new HookRunner.Target(pod, spec, c, ip), POST_START_LIMIT).thenAccept(result -> {
            if (result == null) {
                return;
            }
            synchronized (rec) {
                ContainerHistory r = rec.containers.get(name);
                if (rec.live.get(name) != c || r == null || r.running() == null
                        || !r.running().containerId().equals(c.id())) {
                    return;
                }
                rec.containers.put(name, r.withRunning(r.running().withPostStart(result.success()
                        ? ContainerHistory.PostStart.DONE : ContainerHistory.PostStart.FAILED)));
            }
            if (result.success()) {
                if (!init) {
                    probes.add(pod, spec, c, ip);
                }
            } else {
                log.warn("postStart hook of container {} failed: {}", c, result.message());
                events.pod(pod, name, init, EventRecorder.WARNING, "FailedPostStartHook", "PostStartHook failed");
            }
            queue.add(rec.uid);
        });
    }

    /**
     * Runs a hook on its own virtual thread, interrupted when the container ends. Completes with the result, or with
     * null when the hook was abandoned (the container ended, or the agent closed).
     */
    private CompletableFuture<HookRunner.Result> runHook(HookAction action, HookRunner.Target target,
            Duration budget) {
        CompletableFuture<HookRunner.Result> result = new CompletableFuture<>();
        try {
            Future<?> task = hookThreads.submit(() -> {
                try {
                    result.complete(hooks.run(action, target, budget));
                } catch (InterruptedException e) {
                    result.complete(null);
                } catch (RuntimeException e) {
                    log.warn("lifecycle hook of {} failed", target.container(), e);
                    result.complete(new HookRunner.Result(false, e.toString()));
                }
            });
            target.container().exit().whenComplete((code, error) -> {
                result.complete(null);
                task.cancel(true);
            });
        } catch (RejectedExecutionException e) {
            result.complete(null);
        }
        return result;
    }

    private void terminate(PodRecord rec, Pod pod, PodAction.Terminate t) {
        var spec = specOf(pod, t.container());
        HookAction preStop = spec == null || spec.getLifecycle() == null ? null
                : HookAction.of(spec.getLifecycle().getPreStop());
        boolean hook = GracePeriods.runsPreStop(preStop != null, t.graceSeconds());
        Instant at = clock.instant();
        Container c;
        synchronized (rec) {
            c = rec.live.get(t.container());
            ContainerHistory r = rec.containers.get(t.container());
            if (c == null || r == null || r.running() == null) {
                return;
            }
            rec.containers.put(t.container(), r.withRunning(r.running().stopping(at, t.graceSeconds(), hook)));
        }
        String message = switch (t.cause()) {
            // kubelet computePodActions: ", will be restarted" only when the policy restarts failed containers
            case LIVENESS_FAILED -> "Container " + t.container() + " failed liveness probe"
                    + (PodPhases.restartPolicy(pod).equals("Never") ? "" : ", will be restarted");
            case SPEC_CHANGED -> "Container " + t.container() + " definition changed, will be restarted";
            case POD_DELETED -> "Stopping container " + t.container();
            // kubelet startContainer: killContainer(..., "FailedPostStartHook", reasonFailedPostStartHook, ...)
            case POST_START_FAILED -> "FailedPostStartHook";
        };
        events.pod(pod, t.container(), isInit(pod, t.container()), EventRecorder.NORMAL, "Killing", message);
        if (hook) {
            preStop(rec, pod, spec, c, preStop, t.graceSeconds());
        } else {
            c.terminate();
        }
    }

    /**
     * Runs the preStop hook of a stopping container for at most {@code grace} seconds, then sends SIGTERM and sets
     * when SIGKILL is due. The hook may go on past its time (abandoned when the container ends), as at the kubelet.
     */
    private void preStop(PodRecord rec, Pod pod, io.fabric8.kubernetes.api.model.Container spec, Container c,
            HookAction action, long grace) {
        String name = spec.getName();
        boolean init = isInit(pod, name);
        CompletableFuture<HookRunner.Result> hook = runHook(action, new HookRunner.Target(pod, spec, c, rec.podIp),
                Duration.ofSeconds(grace));
        hook.thenAccept(result -> {
            if (result != null && !result.success()) {
                log.warn("preStop hook of container {} failed: {}", c, result.message());
                events.pod(pod, name, init, EventRecorder.WARNING, "FailedPreStopHook", "PreStopHook failed");
            }
        });
        CompletableFuture<Void> over = new CompletableFuture<>();
        hook.whenComplete((result, error) -> over.complete(null));
        over.completeOnTimeout(null, grace, TimeUnit.SECONDS)
                .thenRunAsync(() -> afterPreStop(rec, name, c), hookThreads);
    }

    private void afterPreStop(PodRecord rec, String name, Container c) {
        Instant now = clock.instant();
        synchronized (rec) {
            ContainerHistory r = rec.containers.get(name);
            if (rec.live.get(name) != c || r == null || r.running() == null
                    || !r.running().containerId().equals(c.id()) || !r.running().preStopRunning()) {
                return;
            }
            var running = r.running();
            rec.containers.put(name, r.withRunning(running.terminated(
                    GracePeriods.killDueAt(running.stopRequestedAt(), running.graceSeconds(), now))));
        }
        c.terminate();
        queue.add(rec.uid);
    }

    private void kill(PodRecord rec, String container) {
        Container c;
        synchronized (rec) {
            c = rec.live.get(container);
            ContainerHistory r = rec.containers.get(container);
            if (c == null || r == null || r.running() == null) {
                return;
            }
            rec.containers.put(container, r.withRunning(r.running().killed()));
        }
        c.kill();
    }

    private void backOff(PodRecord rec, Pod pod, PodAction.BackOff b) {
        if (b.until().equals(rec.backOffEvents.put(b.container(), b.until()))) {
            return;
        }
        ContainerHistory r = rec.container(b.container(), isInit(pod, b.container()));
        if (r.startErrorIsLatest()) {
            return;
        }
        events.pod(pod, b.container(), r.init(), EventRecorder.WARNING, "BackOff",
                "Back-off restarting failed container " + b.container() + " in pod " + pod.getMetadata().getName()
                        + "_" + pod.getMetadata().getNamespace() + "(" + rec.uid + ")");
    }

    /** Removes the pod object (grace period 0, precondition uid) once its containers all ended. */
    private void deletePod(PodRecord rec, Pod pod) throws Exception {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + "/api/v1/namespaces/"
                + URLEncoder.encode(ns, StandardCharsets.UTF_8) + "/pods/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8);
        String body = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
                + "\"preconditions\":{\"uid\":\"" + rec.uid + "\"}}";
        HttpRequest req = client.getHttpClient().newHttpRequestBuilder().uri(url)
                .method("DELETE", "application/json", body).build();
        HttpResponse<String> resp = client.getHttpClient().sendAsync(req, String.class).get(30, TimeUnit.SECONDS);
        int code = resp.code();
        if (code >= 300 && code != 404 && code != 409) {
            throw new IllegalStateException("deleting pod " + ns + "/" + name + ": HTTP " + code + " " + resp.body());
        }
        rec.finished = true;
        probes.removePod(rec.uid);
        ips.release(rec.uid);
    }

    private void syncGone(PodRecord rec) {
        List<Container> running;
        synchronized (rec) {
            running = List.copyOf(rec.live.values());
        }
        probes.removePod(rec.uid);
        if (running.isEmpty()) {
            ips.release(rec.uid);
            records.remove(rec.uid, rec);
            String key = rec.pod.getMetadata().getNamespace() + "/" + rec.pod.getMetadata().getName();
            uidByKey.remove(key, rec.uid);
            return;
        }
        for (Container c : running) {
            log.info("killing container {} of deleted pod {}/{}", c.id(), rec.pod.getMetadata().getNamespace(),
                    rec.pod.getMetadata().getName());
            c.kill();
        }
    }

    private void writeStatus(PodRecord rec, Pod pod, PodStatus status) {
        JsonNode computed = normalize(JSON.readTree(client.getKubernetesSerialization().asJson(status)));
        JsonNode observed = pod.getStatus() == null ? JSON.createObjectNode()
                : normalize(JSON.readTree(client.getKubernetesSerialization().asJson(pod.getStatus())));
        if (computed.equals(observed)) {
            return;
        }
        String json = computed.toString();
        if (json.equals(rec.lastWritten) && pod.getMetadata().getResourceVersion().equals(rec.lastWrittenRv)) {
            return;
        }
        try {
            Pod written = client.pods().inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":" + json + "}");
            rec.lastWritten = json;
            rec.lastWrittenRv = written == null ? null : written.getMetadata().getResourceVersion();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return;
            }
            throw e;
        }
    }

    /** Drops nulls, empty arrays and empty objects, so equal statuses compare equal whatever the serializer. */
    static JsonNode normalize(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode out = JSON.createObjectNode();
            for (var e : o.properties()) {
                JsonNode v = normalize(e.getValue());
                if (!v.isNull() && !(v.isContainer() && v.isEmpty())) {
                    out.set(e.getKey(), v);
                }
            }
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = JSON.createArrayNode();
            a.forEach(v -> out.add(normalize(v)));
            return out;
        }
        return node;
    }

    @Override
    public Log find(String namespace, String podName, String container, boolean previous) throws NotFound {
        String uid = uidByKey.get(namespace + "/" + podName);
        PodRecord rec = uid == null ? null : records.get(uid);
        if (rec == null) {
            throw new NotFound("pods \"" + podName + "\" not found");
        }
        Pod pod = rec.pod;
        if (specOf(pod, container) == null) {
            throw new NotFound("container \"" + container + "\" in pod \"" + podName + "\" is not valid");
        }
        boolean init = isInit(pod, container);
        ContainerHistory r;
        Container live;
        Map<String, ContainerHistory> all;
        synchronized (rec) {
            r = rec.container(container, init);
            live = rec.live.get(container);
            all = Map.copyOf(rec.containers);
        }
        boolean restarting = r.last() != null && (init ? r.last().exitCode() != 0 && PodPhases.shouldRestart(pod, 1)
                : PodPhases.shouldRestart(pod, r.last().exitCode()));
        if (previous) {
            Termination t = r.running() != null || restarting ? r.last() : r.previous();
            if (t == null) {
                throw new NotFound("previous terminated container \"" + container + "\" in pod \"" + podName
                        + "\" not found");
            }
            return new Log(logFile(rec.uid, container, t.attempt()), CompletableFuture.completedFuture(null));
        }
        if (r.running() != null && live != null) {
            return new Log(logFile(rec.uid, container, r.running().attempt()), live.exit());
        }
        if (r.last() != null) {
            return new Log(logFile(rec.uid, container, r.last().attempt()), CompletableFuture.completedFuture(null));
        }
        String reason = r.startError() != null ? r.startError().reason()
                : init || !PodPhases.initialized(pod, all) ? "PodInitializing" : "ContainerCreating";
        throw new NotFound("container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: "
                + reason);
    }

    /** The log file of attempt {@code attempt} of a container. */
    /**
     * The pod's resolv.conf (null = the node's), formed on the first call for the pod, as the kubelet forms it once
     * per sandbox.
     */
    private Path resolvConf(PodRecord rec, Pod pod) throws ContainerRuntime.StartFailure {
        if (rec.dnsFormed) {
            return rec.resolvConf;
        }
        ResolvConfFiles.Written written;
        try {
            written = dns.write(pod, settings.stateDir().resolve("pods").resolve(rec.uid));
        } catch (UncheckedIOException e) {
            events.pod(pod, null, false, EventRecorder.WARNING, "FailedCreatePodSandBox",
                    "Failed to create pod sandbox: " + e.getMessage());
            throw new ContainerRuntime.StartFailure("CreateContainerConfigError", e.getMessage());
        }
        for (DnsEvent e : written.dns().events()) {
            events.pod(pod, null, false, EventRecorder.WARNING, e.reason(), e.message());
        }
        rec.resolvConf = written.file();
        rec.dnsFormed = true;
        return rec.resolvConf;
    }

    public Path logFile(String podUid, String container, int attempt) {
        return settings.stateDir().resolve("pods").resolve(podUid).resolve(container).resolve(attempt + ".log");
    }

    /** The IP assigned to pod {@code podUid}, or null. */
    public String podIp(String podUid) {
        return ips.get(podUid);
    }

    static io.fabric8.kubernetes.api.model.Container specOf(Pod pod, String name) {
        for (var c : PodPhases.initContainers(pod)) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        for (var c : PodPhases.containers(pod)) {
            if (c.getName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    static boolean isInit(Pod pod, String name) {
        return PodPhases.initContainers(pod).stream().anyMatch(c -> c.getName().equals(name));
    }

    /**
     * Stops every container of this node: SIGTERM, then SIGKILL for those still running after {@code grace}. For a
     * cluster going down as a whole ({@code ferry up} stopping); call after {@link #close} so nothing restarts them.
     */
    public void stopAllContainers(Duration grace) throws InterruptedException {
        List<Container> running = new ArrayList<>();
        for (PodRecord rec : records.values()) {
            synchronized (rec) {
                running.addAll(rec.live.values());
            }
        }
        running.forEach(Container::terminate);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Container c : running) {
            try {
                c.exit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                c.kill();
            }
        }
    }

    /** Stops syncing; containers keep running (a restarted agent adopts them). */
    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
        }
        if (loop != null) {
            try {
                loop.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            queue.close();
        }
        probes.close();
        hookThreads.shutdownNow();
    }
}
