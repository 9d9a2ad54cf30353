package dev.ferry.agent.lifecycle;

import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import java.util.List;

/**
 * What a lifecycle handler ({@code lifecycle.postStart} / {@code lifecycle.preStop}) does, chosen as the kubelet's
 * handlerRunner.Run does (pkg/kubelet/lifecycle/handlers.go): exec, then httpGet, then sleep; anything else, the
 * deprecated {@code tcpSocket} included, is an invalid handler that fails when run.
 */
public sealed interface HookAction {
    /** Runs {@code command} in the container; succeeds on exit code 0. */
    record Exec(List<String> command) implements HookAction {
        public Exec {
            command = List.copyOf(command);
        }
    }

    /**
     * GETs {@code path} on {@code host} (the pod IP when empty); succeeds on any HTTP response, whatever its status:
     * only a failed request fails the hook.
     */
    record HttpGet(String scheme, String host, IntOrString port, String path, List<HTTPHeader> headers)
            implements HookAction {
        public HttpGet {
            headers = headers == null ? List.of() : List.copyOf(headers);
        }
    }

    /** Sleeps {@code seconds} (KEP-3960), cut short when the container ends or the hook's time is up. */
    record Sleep(long seconds) implements HookAction {
    }

    /** Not runnable: fails with {@code reason}. */
    record Invalid(String reason) implements HookAction {
    }

    /** The action of {@code handler}, or null when there is no handler. */
    static HookAction of(LifecycleHandler handler) {
        if (handler == null) {
            return null;
        }
        if (handler.getExec() != null) {
            var command = handler.getExec().getCommand();
            return new Exec(command == null ? List.of() : command);
        }
        if (handler.getHttpGet() != null) {
            var h = handler.getHttpGet();
            return new HttpGet(h.getScheme(), h.getHost(), h.getPort(), h.getPath(), h.getHttpHeaders());
        }
        if (handler.getSleep() != null) {
            Long seconds = handler.getSleep().getSeconds();
            return new Sleep(seconds == null ? 0 : Math.max(0, seconds));
        }
        if (handler.getTcpSocket() != null) {
            return new Invalid("invalid handler: tcpSocket is not supported as a lifecycle handler");
        }
        return new Invalid("invalid handler: no action set");
    }
}
