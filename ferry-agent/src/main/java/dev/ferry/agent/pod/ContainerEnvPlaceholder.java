package dev.ferry.agent.pod;

import dev.ferry.agent.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// replaced by dev.ferry.agent.env.ContainerEnv at merge
/**
 * TEMPORARY: a container's environment, command and args until dev.ferry.agent.env lands: POD_IP, HOSTNAME (the pod
 * name) and the container's literal env values; no service links, valueFrom or $(VAR) expansion. At merge, the body
 * of {@link #resolve} becomes: {@code ContainerEnv.build(new PodContext(pod, List.of(podIp), List.of(hostIp),
 * allocatable), c, ServiceEnv.forPod(pod, services))}, with {@code ContainerEnv.ConfigError} rethrown as
 * {@code StartFailure(e.reason(), e.getMessage())} (the pod manager reports it as a waiting reason and an event), and
 * command/args through {@code ContainerEnv.expand}.
 */
final class ContainerEnvPlaceholder {
    private ContainerEnvPlaceholder() {
    }

    /** What a container runs with. */
    record Resolved(Map<String, String> env, List<String> command, List<String> args) {
    }

    // replaced by dev.ferry.agent.env.ContainerEnv at merge
    static Resolved resolve(Pod pod, Container c, String podIp, String hostIp) throws ContainerRuntime.StartFailure {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOSTNAME", pod.getMetadata().getName());
        env.put("POD_IP", podIp == null ? "" : podIp);
        if (c.getEnv() != null) {
            for (EnvVar v : c.getEnv()) {
                if (v.getValueFrom() == null) {
                    env.put(v.getName(), v.getValue() == null ? "" : v.getValue());
                }
            }
        }
        return new Resolved(env, c.getCommand() == null ? List.of() : c.getCommand(),
                c.getArgs() == null ? List.of() : c.getArgs());
    }
}
