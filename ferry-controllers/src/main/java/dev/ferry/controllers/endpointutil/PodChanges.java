package dev.ferry.controllers.endpointutil;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which Services a pod event concerns (upstream's {@code GetServicesToUpdateOnPodChange}): on add and delete, the
 * Services selecting the pod; on update, nothing unless the pod changed in a way its endpoints can see (deletion
 * timestamp, readiness, IPs) or its labels/hostname/subdomain changed, and then the Services selecting it before
 * and after (all of them if the pod changed, only those gained or lost if just the labels did). Pure.
 */
public final class PodChanges {
    private PodChanges() {
    }

    /** Keys ("ns/name") of the Services among {@code services} (the pod's namespace) selecting {@code pod}. */
    public static Set<String> servicesSelecting(Collection<Service> services, Pod pod) {
        return matching(services, pod.getMetadata().getLabels());
    }

    /** Keys of the Services to sync after {@code oldPod} became {@code newPod}. */
    public static Set<String> servicesToSync(Collection<Service> services, Pod oldPod, Pod newPod) {
        if (oldPod == null) {
            return servicesSelecting(services, newPod);
        }
        if (newPod == null) {
            return servicesSelecting(services, oldPod);
        }
        String oldRv = oldPod.getMetadata().getResourceVersion();
        if (oldRv != null && oldRv.equals(newPod.getMetadata().getResourceVersion())) {
            return Set.of();
        }
        boolean podChanged = endpointsChanged(oldPod, newPod);
        boolean labelsChanged = !Objects.equals(labels(oldPod), labels(newPod))
                || !Objects.equals(hostname(oldPod), hostname(newPod))
                || !Objects.equals(subdomain(oldPod), subdomain(newPod));
        if (!podChanged && !labelsChanged) {
            return Set.of();
        }
        Set<String> now = matching(services, labels(newPod));
        if (!labelsChanged) {
            return now;
        }
        Set<String> before = matching(services, labels(oldPod));
        Set<String> out = new LinkedHashSet<>();
        if (podChanged) {
            out.addAll(now);
            out.addAll(before);
        } else {
            for (String k : now) {
                if (!before.contains(k)) {
                    out.add(k);
                }
            }
            for (String k : before) {
                if (!now.contains(k)) {
                    out.add(k);
                }
            }
        }
        return out;
    }

    /** The pod changed in a way that can change its endpoint: deletion timestamp, readiness or IPs. */
    static boolean endpointsChanged(Pod oldPod, Pod newPod) {
        return !Objects.equals(oldPod.getMetadata().getDeletionTimestamp(), newPod.getMetadata().getDeletionTimestamp())
                || PodRules.isReady(oldPod) != PodRules.isReady(newPod)
                || !PodRules.podIps(oldPod).equals(PodRules.podIps(newPod));
    }

    private static Set<String> matching(Collection<Service> services, Map<String, String> labels) {
        Set<String> out = new LinkedHashSet<>();
        for (Service s : services) {
            if (ServiceRules.selects(s, labels)) {
                out.add(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName());
            }
        }
        return out;
    }

    private static Map<String, String> labels(Pod pod) {
        Map<String, String> l = pod.getMetadata().getLabels();
        return l == null ? Map.of() : l;
    }

    private static String hostname(Pod pod) {
        return pod.getSpec() == null ? null : emptyAsNull(pod.getSpec().getHostname());
    }

    private static String subdomain(Pod pod) {
        return pod.getSpec() == null ? null : emptyAsNull(pod.getSpec().getSubdomain());
    }

    private static String emptyAsNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
