package dev.ferry.controllers.endpointutil;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a pod becomes an endpoint, shared by the EndpointSlice and Endpoints controllers (upstream's
 * {@code k8s.io/endpointslice/util} and {@code FindPort}). Pure; never mutates its arguments.
 */
public final class PodRules {
    private PodRules() {
    }

    /**
     * Whether {@code pod} belongs in endpoints at all: not terminal (Succeeded/Failed), has a pod IP, and is not
     * terminating unless {@code includeTerminating}.
     */
    public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return false;
        }
        if (podIps(pod).isEmpty()) {
            return false;
        }
        return includeTerminating || !isTerminating(pod);
    }

    /** The pod's Ready condition is True. */
    public static boolean isReady(Pod pod) {
        PodCondition ready = readyCondition(pod);
        return ready != null && "True".equals(ready.getStatus());
    }

    /** The pod has a deletion timestamp. */
    public static boolean isTerminating(Pod pod) {
        String ts = pod.getMetadata() == null ? null : pod.getMetadata().getDeletionTimestamp();
        return ts != null && !ts.isEmpty();
    }

    /** The last transition time of the pod's Ready condition, or null. */
    public static Instant readyTransitionTime(Pod pod) {
        PodCondition ready = readyCondition(pod);
        return ready == null ? null : Timestamps.parse(ready.getLastTransitionTime());
    }

    private static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    /** status.podIPs in order, or [status.podIP] when only that is set. */
    public static List<String> podIps(Pod pod) {
        if (pod.getStatus() == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (pod.getStatus().getPodIPs() != null) {
            for (PodIP ip : pod.getStatus().getPodIPs()) {
                if (ip.getIp() != null && !ip.getIp().isEmpty()) {
                    out.add(ip.getIp());
                }
            }
        }
        String single = pod.getStatus().getPodIP();
        if (out.isEmpty() && single != null && !single.isEmpty()) {
            out.add(single);
        }
        return out;
    }

    /** An endpoint's hostname is the pod's hostname only when its subdomain names the Service (same namespace). */
    public static boolean shouldSetHostname(Pod pod, Service service) {
        String hostname = pod.getSpec() == null ? null : pod.getSpec().getHostname();
        return hostname != null && !hostname.isEmpty() && Objects.equals(pod.getSpec().getSubdomain(),
                service.getMetadata().getName())
                && Objects.equals(pod.getMetadata().getNamespace(), service.getMetadata().getNamespace());
    }

    /**
     * The container port a Service port targets on {@code pod}: a numeric targetPort as is (absent: the Service
     * port); a named one by name and protocol in regular containers, then in restartable (sidecar) init containers.
     * Empty when the pod has no such named port.
     */
    public static OptionalInt findPort(Pod pod, ServicePort servicePort) {
        IntOrString target = servicePort.getTargetPort();
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return servicePort.getPort() == null ? OptionalInt.empty() : OptionalInt.of(servicePort.getPort());
        }
        if (target.getIntVal() != null) {
            return OptionalInt.of(target.getIntVal());
        }
        String name = target.getStrVal();
        String protocol = protocol(servicePort.getProtocol());
        if (pod.getSpec() == null) {
            return OptionalInt.empty();
        }
        OptionalInt found = findNamed(pod.getSpec().getContainers(), name, protocol, false);
        return found.isPresent() ? found : findNamed(pod.getSpec().getInitContainers(), name, protocol, true);
    }

    private static OptionalInt findNamed(List<Container> containers, String name, String protocol,
            boolean restartableOnly) {
        if (containers == null) {
            return OptionalInt.empty();
        }
        for (Container c : containers) {
            if (restartableOnly && !"Always".equals(c.getRestartPolicy())) {
                continue;
            }
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort p : c.getPorts()) {
                if (name.equals(p.getName()) && protocol.equals(protocol(p.getProtocol()))
                        && p.getContainerPort() != null) {
                    return OptionalInt.of(p.getContainerPort());
                }
            }
        }
        return OptionalInt.empty();
    }

    /** A protocol field with the API default applied. */
    public static String protocol(String p) {
        return p == null || p.isEmpty() ? "TCP" : p;
    }
}
