package dev.ferry.agent.probe;

import dev.ferry.agent.pod.ProbeView;
import dev.ferry.agent.runtime.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the live container attempts of this node's pods. One scheduler thread times every probe; each run executes on
 * a virtual thread that lives only while it probes, and schedules the next run when done (so a slow probe never
 * overlaps itself). The first run comes initialDelaySeconds after the attempt started, then every periodSeconds, except
 * that a never-ready container's failed readiness runs are retried sooner (see {@link ProbeSchedule}).
 * <p>
 * Until the startup probe succeeds, readiness and liveness are not run (the container is neither started nor ready).
 * Published results (per {@link ProbeState}) are read with {@link #view}; a change of a published result, or a
 * failed run, is reported to the {@link Listener}. Thread-safe.
 */
public final class ProbeManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProbeManager.class);
    private final Prober prober;
    private final Clock clock;
    private final Listener listener;
    private final ScheduledExecutorService scheduler;
    /** Pod uid → container name → its live attempt's probes; an inner map is mutated only inside byPod.compute*. */
    private final Map<String, Map<String, AttemptProbes>> byPod = new ConcurrentHashMap<>();

    /** Receives probe news; called from probe threads, must not block long. */
    public interface Listener {
        /** A published result of a container of pod {@code podUid} changed. */
        void changed(String podUid);

        /** A run failed: the kubelet's Unhealthy event ("Readiness probe failed: " + message). */
        void failed(Pod pod, String container, ProbeType type, String message);
    }

    public ProbeManager(Prober prober, Clock clock, Listener listener) {
        this.prober = prober;
        this.clock = clock;
        this.listener = listener;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "probe-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts probing {@code attempt} of container {@code spec} of {@code pod}, replacing the probes of any earlier
     * attempt of that container.
     */
    public void add(Pod pod, io.fabric8.kubernetes.api.model.Container spec, Container attempt, String podIp) {
        add(pod, spec, attempt, podIp, false, false);
    }

    /**
     * As {@link #add(Pod, io.fabric8.kubernetes.api.model.Container, Container, String)} for an attempt adopted after
     * an agent restart: {@code wasStarted} and {@code wasReady} (what the pod's status said of this attempt) seed the
     * startup and readiness results, so an adopted ready container stays ready until a probe says otherwise.
     */
    public void add(Pod pod, io.fabric8.kubernetes.api.model.Container spec, Container attempt, String podIp,
            boolean wasStarted, boolean wasReady) {
        AttemptProbes probes = new AttemptProbes(pod, spec, attempt, podIp);
        if (wasStarted && probes.states.containsKey(ProbeType.STARTUP)) {
            probes.states.put(ProbeType.STARTUP, new ProbeState(ProbeResult.SUCCESS, ProbeResult.SUCCESS, 1, false));
        }
        if (wasStarted && wasReady && probes.states.containsKey(ProbeType.READINESS)) {
            probes.states.put(ProbeType.READINESS,
                    new ProbeState(ProbeResult.SUCCESS, ProbeResult.UNKNOWN, 0, false));
            probes.everReady = true;
        }
        AttemptProbes[] old = new AttemptProbes[1];
        byPod.compute(pod.getMetadata().getUid(), (uid, containers) -> {
            Map<String, AttemptProbes> m = containers == null ? new ConcurrentHashMap<>() : containers;
            old[0] = m.put(spec.getName(), probes);
            return m;
        });
        if (old[0] != null) {
            old[0].cancel();
        }
        probes.schedule();
    }

    /** Stops probing container {@code container} of pod {@code podUid}. */
    public void remove(String podUid, String container) {
        AttemptProbes[] old = new AttemptProbes[1];
        byPod.computeIfPresent(podUid, (uid, containers) -> {
            old[0] = containers.remove(container);
            return containers.isEmpty() ? null : containers;
        });
        if (old[0] != null) {
            old[0].cancel();
        }
    }

    /** Stops probing every container of pod {@code podUid}. */
    public void removePod(String podUid) {
        Map<String, AttemptProbes> old = byPod.remove(podUid);
        if (old != null) {
            old.values().forEach(AttemptProbes::cancel);
        }
    }

    /** The published results for the live attempt {@code containerId}; {@link ProbeView#NONE} when unprobed. */
    public ProbeView view(String podUid, String container, String containerId) {
        Map<String, AttemptProbes> containers = byPod.get(podUid);
        AttemptProbes p = containers == null ? null : containers.get(container);
        if (p == null || !p.attempt.id().equals(containerId)) {
            return ProbeView.NONE;
        }
        return p.view();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        byPod.values().forEach(containers -> containers.values().forEach(AttemptProbes::cancel));
        byPod.clear();
    }

    /** The probes of one container attempt. */
    private final class AttemptProbes {
        final Pod pod;
        final io.fabric8.kubernetes.api.model.Container spec;
        final Container attempt;
        final String podIp;
        final Map<ProbeType, Probe> probes = new EnumMap<>(ProbeType.class);
        final Map<ProbeType, ProbeState> states = new EnumMap<>(ProbeType.class);
        final Map<ProbeType, ScheduledFuture<?>> timers = new EnumMap<>(ProbeType.class);
        /** The readiness of this attempt has published Success at least once. */
        boolean everReady;
        boolean cancelled;

        AttemptProbes(Pod pod, io.fabric8.kubernetes.api.model.Container spec, Container attempt, String podIp) {
            this.pod = pod;
            this.spec = spec;
            this.attempt = attempt;
            this.podIp = podIp;
            put(ProbeType.STARTUP, spec.getStartupProbe());
            put(ProbeType.READINESS, spec.getReadinessProbe());
            put(ProbeType.LIVENESS, spec.getLivenessProbe());
        }

        private void put(ProbeType type, Probe probe) {
            if (probe != null) {
                probes.put(type, probe);
                states.put(type, ProbeState.initial(type));
            }
        }

        synchronized void schedule() {
            for (Map.Entry<ProbeType, Probe> e : probes.entrySet()) {
                Duration sinceStart = Duration.between(attempt.startedAt(), clock.instant());
                Duration first = ProbeSettings.of(e.getValue()).initialDelay().minus(sinceStart);
                scheduleRun(e.getKey(), first.isNegative() ? Duration.ZERO : first);
            }
        }

        private void scheduleRun(ProbeType type, Duration delay) {
            if (cancelled || scheduler.isShutdown()) {
                return;
            }
            try {
                timers.put(type, scheduler.schedule(() -> Thread.ofVirtual().name("probe-" + spec.getName())
                        .start(() -> run(type)), delay.toNanos(), TimeUnit.NANOSECONDS));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }

        synchronized void cancel() {
            cancelled = true;
            timers.values().forEach(f -> f.cancel(false));
        }

        synchronized ProbeView view() {
            boolean started = !states.containsKey(ProbeType.STARTUP)
                    || states.get(ProbeType.STARTUP).result() == ProbeResult.SUCCESS;
            boolean ready = started && (!states.containsKey(ProbeType.READINESS)
                    || states.get(ProbeType.READINESS).result() == ProbeResult.SUCCESS);
            boolean failed = result(ProbeType.LIVENESS) == ProbeResult.FAILURE
                    || result(ProbeType.STARTUP) == ProbeResult.FAILURE;
            return new ProbeView(started, ready, failed);
        }

        private ProbeResult result(ProbeType type) {
            ProbeState s = states.get(type);
            return s == null ? ProbeResult.UNKNOWN : s.result();
        }

        private void run(ProbeType type) {
            Probe probe = probes.get(type);
            ProbeSettings settings = ProbeSettings.of(probe);
            boolean skip;
            synchronized (this) {
                if (cancelled || states.get(type).onHold()) {
                    return;
                }
                boolean started = !states.containsKey(ProbeType.STARTUP)
                        || states.get(ProbeType.STARTUP).result() == ProbeResult.SUCCESS;
                // startup: done once it succeeded; readiness and liveness wait for it
                skip = type == ProbeType.STARTUP ? started : !started;
                if (type == ProbeType.STARTUP && started) {
                    return;
                }
            }
            if (!skip && !attempt.exit().isDone()) {
                Prober.Outcome outcome;
                try {
                    outcome = prober.run(probe, podIp, spec.getPorts(), attempt, settings.timeout());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.debug("probe of {} failed", spec.getName(), e);
                    outcome = new Prober.Outcome(false, e.toString());
                }
                boolean changed;
                synchronized (this) {
                    if (cancelled) {
                        return;
                    }
                    ProbeState before = states.get(type);
                    ProbeState after = before.observe(type, outcome.success(), settings.successThreshold(),
                            settings.failureThreshold());
                    states.put(type, after);
                    changed = after.result() != before.result();
                    if (type == ProbeType.READINESS && after.result() == ProbeResult.SUCCESS) {
                        everReady = true;
                    }
                }
                if (!outcome.success()) {
                    listener.failed(pod, spec.getName(), type, outcome.message());
                }
                if (changed) {
                    listener.changed(pod.getMetadata().getUid());
                }
            }
            synchronized (this) {
                if (!attempt.exit().isDone()) {
                    scheduleRun(type, ProbeSchedule.next(type, settings, states.get(type), everReady));
                }
            }
        }
    }
}
