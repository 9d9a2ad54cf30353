package dev.ferry.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// replaced by dev.ferry.agent.env.ContainerEnv at merge
/**
 * TEMPORARY: the environment of a container until dev.ferry.agent.env lands: POD_IP, HOSTNAME (the pod name) and the
 * container's literal env values; no service links, valueFrom or $(VAR) expansion; command and args verbatim.
 */
final class ContainerEnvPlaceholder {
    private ContainerEnvPlaceholder() {
    }

    // replaced by dev.ferry.agent.env.ContainerEnv at merge
    static Map<String, String> env(Pod pod, Container c, String podIp) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("POD_IP", podIp);
        env.put("HOSTNAME", pod.getMetadata().getName());
        if (c.getEnv() != null) {
            for (EnvVar v : c.getEnv()) {
                if (v.getValueFrom() == null) {
                    env.put(v.getName(), v.getValue() == null ? "" : v.getValue());
                }
            }
        }
        return env;
    }

    // replaced by dev.ferry.agent.env.ContainerEnv at merge
    static List<String> command(Container c, Map<String, String> env) {
        return c.getCommand() == null ? List.of() : c.getCommand();
    }

    // replaced by dev.ferry.agent.env.ContainerEnv at merge
    static List<String> args(Container c, Map<String, String> env) {
        return c.getArgs() == null ? List.of() : c.getArgs();
    }
}
