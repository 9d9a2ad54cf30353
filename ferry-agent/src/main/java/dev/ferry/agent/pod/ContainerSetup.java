package dev.ferry.agent.pod;

import dev.ferry.agent.env.ContainerEnv;
import dev.ferry.agent.env.ServiceEnv;
import dev.ferry.agent.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a container runs with, as the kubelet computes it at container start: the Service link variables of the
 * Services that exist at that moment, the container's env with the downward API and {@code $(VAR)} expansion, then
 * command and args expanded against that environment.
 */
public final class ContainerSetup {
    /** The Services a pod may see (its namespace's, and {@code default/kubernetes}); from the agent's cache. */
    @FunctionalInterface
    public interface Services {
        Collection<Service> visibleFrom(String namespace);
    }

    /** A container's resolved environment, command and args (empty command/args = the image's defaults). */
    record Resolved(Map<String, String> env, List<String> command, List<String> args) {
    }

    private final Services services;
    private final Map<String, Quantity> nodeAllocatable;

    public ContainerSetup(Services services, Map<String, Quantity> nodeAllocatable) {
        this.services = services;
        this.nodeAllocatable = Map.copyOf(nodeAllocatable);
    }

    /** A setup with no Services (tests of pods that do not care about service links). */
    public static ContainerSetup withoutServices(Map<String, Quantity> nodeAllocatable) {
        return new ContainerSetup(ns -> List.of(), nodeAllocatable);
    }

    /** @throws ContainerRuntime.StartFailure reason CreateContainerConfigError when the env cannot be built */
    Resolved resolve(Pod pod, Container c, String podIp, String hostIp) throws ContainerRuntime.StartFailure {
        Map<String, String> env;
        try {
            env = ContainerEnv.build(new ContainerEnv.PodContext(pod, podIp == null ? List.of() : List.of(podIp),
                    List.of(hostIp), nodeAllocatable), c,
                    ServiceEnv.forPod(pod, services.visibleFrom(pod.getMetadata().getNamespace())));
        } catch (ContainerEnv.ConfigError e) {
            throw new ContainerRuntime.StartFailure(e.reason(), e.getMessage());
        }
        return new Resolved(env, ContainerEnv.expand(c.getCommand() == null ? List.of() : c.getCommand(), env),
                ContainerEnv.expand(c.getArgs() == null ? List.of() : c.getArgs(), env));
    }
}
