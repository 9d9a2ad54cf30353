package dev.ferry.agent.lifecycle;

import dev.ferry.agent.probe.HttpGet;
import dev.ferry.agent.probe.Prober;
import dev.ferry.agent.runtime.Container;
import dev.ferry.agent.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one lifecycle hook of one container once (the kubelet's handlerRunner): exec through the runtime (the
 * container's environment, working directory and pod IP), httpGet to the pod IP with the probes' HTTP client, sleep.
 * Blocking and bounded by {@code budget}; run it on its own (virtual) thread, which may be interrupted to abandon the
 * hook (an exec'd command is then killed). Thread-safe.
 */
public final class HookRunner {
    /** The kubelet's User-Agent for lifecycle httpGet requests. */
    static final String USER_AGENT = "kube-lifecycle/1.32";
    private final ContainerRuntime runtime;

    public HookRunner(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * The outcome of a run.
     *
     * @param message why it failed, as the kubelet words it ("Exec lifecycle hook ([...]) for Container ... failed -
     *                error: ..."); empty on success
     */
    public record Result(boolean success, String message) {
        static final Result OK = new Result(true, "");
    }

    /** Where a hook runs: the pod (for messages), the container's spec (name, named ports), its live attempt. */
    public record Target(Pod pod, io.fabric8.kubernetes.api.model.Container spec, Container container,
            String podIp) {
    }

    /**
     * @param budget the most the hook may take; a sleep stops then, exec and httpGet time out
     * @throws InterruptedException when the running thread is interrupted (the hook is abandoned)
     */
    public Result run(HookAction action, Target target, Duration budget) throws InterruptedException {
        return switch (action) {
            case HookAction.Exec e -> exec(e, target, budget);
            case HookAction.HttpGet h -> http(h, target, budget);
            case HookAction.Sleep s -> sleep(s, target.container(), budget);
            case HookAction.Invalid i -> new Result(false, "Cannot run handler: " + i.reason());
        };
    }

    private Result exec(HookAction.Exec e, Target t, Duration budget) throws InterruptedException {
        ContainerRuntime.ExecResult r = runtime.exec(t.container(), e.command(), budget);
        if (r.exitCode() == 0) {
            return Result.OK;
        }
        String error = r.exitCode() == -1 && !t.container().exit().isDone()
                ? "command '" + String.join(" ", e.command()) + "' timed out after " + budget.toSeconds() + "s"
                : "command '" + String.join(" ", e.command()) + "' exited with " + r.exitCode() + ": ";
        return new Result(false, execFailure(e.command(), t.spec().getName(), t.pod(), error,
                r.output() == null ? "" : r.output()));
    }

    private static Result http(HookAction.HttpGet h, Target t, Duration budget) {
        String error;
        try {
            String host = h.host() == null || h.host().isEmpty() ? t.podIp() : h.host();
            if (host == null) {
                error = "failed to find networking container: the pod has no IP";
            } else {
                int port = h.port() == null || (h.port().getIntVal() == null && (h.port().getStrVal() == null
                        || h.port().getStrVal().isEmpty())) ? 80 : Prober.port(h.port(), t.spec().getPorts());
                error = HttpGet.get(h.scheme(), host, port, h.path(), h.headers(), budget, USER_AGENT).error();
            }
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        }
        if (error == null) {
            return Result.OK;
        }
        return new Result(false, httpFailure(h.path(), t.spec().getName(), t.pod(), error));
    }

    /** Sleeps until the time is up, or the container ended (then there is nothing left to delay). */
    private static Result sleep(HookAction.Sleep s, Container c, Duration budget) throws InterruptedException {
        long millis = Math.min(TimeUnit.SECONDS.toMillis(s.seconds()), Math.max(0, budget.toMillis()));
        try {
            c.exit().get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // slept the whole time
        }
        return Result.OK;
    }

    static String execFailure(List<String> command, String container, Pod pod, String error, String output) {
        return "Exec lifecycle hook ([" + String.join(" ", command) + "]) for Container \"" + container
                + "\" in Pod \"" + pod(pod) + "\" failed - error: " + error + ", message: \"" + output + "\"";
    }

    static String httpFailure(String path, String container, Pod pod, String error) {
        return "HTTP lifecycle hook (" + (path == null ? "" : path) + ") for Container \"" + container
                + "\" in Pod \"" + pod(pod) + "\" failed - error: " + error;
    }

    /** The kubelet's format.Pod: name_namespace(uid). */
    static String pod(Pod pod) {
        return pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                + pod.getMetadata().getUid() + ")";
    }
}
