package dev.ferry.agent.node;

import dev.ferry.agent.pod.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Node and Lease objects the agent writes (kubelet_node_status.go, nodelease), pure. */
public final class NodeObjects {
    public static final String LEASE_NAMESPACE = "kube-node-lease";
    public static final int LEASE_DURATION_SECONDS = 40;
    public static final String KUBELET_VERSION = "v1.32.0";

    private NodeObjects() {
    }

    /** What describes this node; {@code labels} are those of {@code --node-labels} ({@link NodeLabels}). */
    public record Identity(String name, String ip, Map<String, String> capacity, String arch, String os,
            Map<String, String> labels) {
        public Identity {
            labels = Map.copyOf(labels);
        }
    }

    /** The node's labels: hostname, OS and architecture, then {@code --node-labels} (which win, as the kubelet's). */
    public static Map<String, String> labels(Identity id) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("kubernetes.io/hostname", id.name());
        l.put("kubernetes.io/os", id.os());
        l.put("kubernetes.io/arch", id.arch());
        l.put("beta.kubernetes.io/os", id.os());
        l.put("beta.kubernetes.io/arch", id.arch());
        l.putAll(id.labels());
        return l;
    }

    /** The Node to register: labels, and a status as of {@code now}. */
    public static Node node(Identity id, int kubeletPort, Instant now) {
        return new NodeBuilder().withNewMetadata().withName(id.name()).withLabels(labels(id)).endMetadata()
                .withNewSpec().endSpec().withStatus(status(id, kubeletPort, null, now)).build();
    }

    /**
     * The node status at {@code now}: Ready and the pressure conditions with lastHeartbeatTime now, each keeping its
     * lastTransitionTime from {@code old} (may be null) while its status is unchanged.
     */
    public static NodeStatus status(Identity id, int kubeletPort, NodeStatus old, Instant now) {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        id.capacity().forEach((k, v) -> capacity.put(k, new Quantity(v)));
        List<NodeCondition> conditions = new ArrayList<>();
        conditions.add(condition(old, "MemoryPressure", "False", "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available", now));
        conditions.add(condition(old, "DiskPressure", "False", "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure", now));
        conditions.add(condition(old, "PIDPressure", "False", "KubeletHasSufficientPID",
                "kubelet has sufficient PID available", now));
        conditions.add(condition(old, "Ready", "True", "KubeletReady", "kubelet is posting ready status", now));
        return new NodeStatusBuilder().withCapacity(capacity).withAllocatable(new LinkedHashMap<>(capacity))
                .withConditions(conditions)
                .withAddresses(new NodeAddress(id.ip(), "InternalIP"), new NodeAddress(id.name(), "Hostname"))
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo().withMachineID(MachineInfo.machineId()).withSystemUUID(MachineInfo.machineId())
                .withBootID(MachineInfo.bootId()).withKernelVersion(System.getProperty("os.version", ""))
                .withOsImage(MachineInfo.osImage()).withContainerRuntimeVersion("ferry://0.1.0")
                .withKubeletVersion(KUBELET_VERSION).withKubeProxyVersion("").withOperatingSystem(id.os())
                .withArchitecture(id.arch()).endNodeInfo().build();
    }

    /** The node's conditions with lastHeartbeatTime {@code now} (what a heartbeat writes). */
    public static List<NodeCondition> heartbeat(Identity id, NodeStatus old, Instant now) {
        return status(id, 0, old, now).getConditions();
    }

    private static NodeCondition condition(NodeStatus old, String type, String status, String reason,
            String message, Instant now) {
        String time = PodStatusBuilder.time(now);
        String since = time;
        if (old != null && old.getConditions() != null) {
            for (NodeCondition c : old.getConditions()) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                    since = c.getLastTransitionTime();
                }
            }
        }
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(time).withLastTransitionTime(since).build();
    }

    /** The node's Lease in kube-node-lease, renewed at {@code now}, owned by the Node (uid may be null). */
    public static Lease lease(String node, String nodeUid, Instant now) {
        LeaseBuilder b = new LeaseBuilder().withNewMetadata().withName(node).withNamespace(LEASE_NAMESPACE)
                .endMetadata().withNewSpec().withHolderIdentity(node)
                .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
                .withRenewTime(now.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC)).endSpec();
        if (nodeUid != null) {
            b.editMetadata().addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(node)
                    .withUid(nodeUid).endOwnerReference().endMetadata();
        }
        return b.build();
    }
}
