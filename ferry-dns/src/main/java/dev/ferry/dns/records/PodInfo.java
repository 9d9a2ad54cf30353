package dev.ferry.dns.records;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What DNS needs of a Pod to answer verified pod records ({@code a-b-c-d.<ns>.pod.<zone>}, CoreDNS object/pod.go).
 *
 * @param ips the pod's IPs (status.podIPs, else status.podIP); empty while it has none, once it is terminating
 *     (deletionTimestamp set) and once it has finished (phase Succeeded or Failed), since its IP may be reused
 */
public record PodInfo(String namespace, String name, List<InetAddress> ips) {

    public PodInfo {
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(name);
        ips = List.copyOf(ips);
    }

    /** The projection of {@code pod}. */
    public static PodInfo of(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        PodStatus status = pod.getStatus();
        if (status == null || pod.getMetadata().getDeletionTimestamp() != null
                || "Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase())) {
            return new PodInfo(ns, name, List.of());
        }
        List<String> texts = new ArrayList<>();
        if (status.getPodIPs() != null) {
            for (PodIP ip : status.getPodIPs()) {
                texts.add(ip.getIp());
            }
        }
        if (texts.isEmpty() && status.getPodIP() != null) {
            texts.add(status.getPodIP());
        }
        return new PodInfo(ns, name, Ips.parseAll(texts));
    }
}
