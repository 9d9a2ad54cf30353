package dev.ferry.controllers.endpointutil;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders of the cached objects the pure reconcilers take, for table tests. */
public final class Fixtures {
    public static final String NS = "ns";
    public static final String SVC_UID = "svc-uid";

    private Fixtures() {
    }

    /** Service "web" in "ns" (ClusterIP 127.96.0.5, IPv4) selecting app=web, port "http" 80 → 9376. */
    public static ServiceBuilder service() {
        return new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS).withUid(SVC_UID)
                .withCreationTimestamp("2026-01-01T00:00:00Z").endMetadata().withNewSpec().withClusterIP("127.96.0.5")
                .withIpFamilies("IPv4").withSelector(Map.of("app", "web")).addNewPort().withName("http").withPort(80)
                .withProtocol("TCP").withTargetPort(new IntOrString(9376)).endPort().endSpec();
    }

    public static Service svc() {
        return service().build();
    }

    /** A running pod "name" on node-a with {@code ips}, Ready {@code ready}, labels app=web. */
    public static PodBuilder pod(String name, boolean ready, String... ips) {
        List<PodIP> podIps = new ArrayList<>();
        for (String ip : ips) {
            podIps.add(new PodIP(ip));
        }
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withUid("uid-" + name)
                .withResourceVersion("1").addToLabels("app", "web").endMetadata().withNewSpec().withNodeName("node-a")
                .addNewContainer().withName("c").endContainer().endSpec().withNewStatus().withPhase("Running")
                .withPodIP(ips.length == 0 ? null : ips[0]).withPodIPs(podIps)
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                        .withLastTransitionTime("2026-01-01T00:00:10Z").build())
                .endStatus();
    }

    public static Pod ready(String name, String ip) {
        return pod(name, true, ip).build();
    }

    public static ContainerPort port(String name, int number) {
        return new ContainerPortBuilder().withName(name).withContainerPort(number).withProtocol("TCP").build();
    }

    public static Node node(String name, String zone) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        if (zone != null) {
            b.editMetadata().addToLabels(WellKnown.LABEL_TOPOLOGY_ZONE, zone).endMetadata();
        }
        return b.build();
    }
}
