package dev.ferry.apiserver.table;

import static dev.ferry.apiserver.table.Objects.NOW;
import static dev.ferry.apiserver.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Namespaces, Nodes, Events and the default convertor. */
class ClusterTableConvertorsTest {

    @Test
    void namespace() {
        var convertor = new NamespaceTableConvertor();
        assertThat(convertor.columns()).extracting(ColumnDefinition::name).containsExactly("Name", "Status", "Age");
        assertThat(convertor.row(yaml("""
                metadata: {name: default, creationTimestamp: "2024-11-26T12:00:00Z"}
                status: {phase: Active}
                """), NOW).cells()).containsExactly("default", "Active", "2y");
        assertThat(convertor.row(yaml("""
                metadata: {name: old, deletionTimestamp: "2026-11-26T11:00:00Z"}
                status: {phase: Terminating}
                """), NOW).cells().get(1)).isEqualTo("Terminating");
    }

    @Test
    void node() {
        var convertor = new NodeTableConvertor();
        assertThat(convertor.columns()).extracting(ColumnDefinition::name).containsExactly("Name", "Status", "Roles",
                "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime");
        var row = convertor.row(yaml("""
                metadata:
                  name: node-a
                  creationTimestamp: "2026-11-20T12:00:00Z"
                  labels: {node-role.kubernetes.io/control-plane: "", kubernetes.io/role: worker, node-role.kubernetes.io/: ""}
                spec: {unschedulable: true}
                status:
                  conditions: [{type: MemoryPressure, status: "False"}, {type: Ready, status: "True"}]
                  addresses: [{type: Hostname, address: node-a}, {type: InternalIP, address: 172.18.0.2}]
                  nodeInfo: {kubeletVersion: v1.32.0, osImage: Debian GNU/Linux 12 (bookworm), kernelVersion: 6.1.0,
                             containerRuntimeVersion: "containerd://1.7.22"}
                """), NOW);
        assertThat(row.cells()).containsExactly("node-a", "Ready,SchedulingDisabled", "control-plane,worker", "6d",
                "v1.32.0", "172.18.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0", "containerd://1.7.22");
        var bare = convertor.row(yaml("metadata: {name: n}"), NOW);
        assertThat(bare.cells()).containsExactly("n", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>",
                "<unknown>", "<unknown>", "<unknown>");
        assertThat(convertor.row(yaml("status: {conditions: [{type: Ready, status: Unknown}]}"), NOW).cells().get(1))
                .isEqualTo("NotReady");
    }

    @Test
    void event() {
        var convertor = new EventTableConvertor();
        assertThat(convertor.columns()).extracting(ColumnDefinition::name).containsExactly("Last Seen", "Type",
                "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name");
        assertThat(convertor.columns()).extracting(ColumnDefinition::priority)
                .containsExactly(0, 0, 0, 0, 1, 1, 0, 1, 1, 1);
        var row = convertor.row(yaml("""
                metadata: {name: web.17f3a, namespace: default}
                involvedObject: {kind: Pod, name: web-1, fieldPath: "spec.containers{app}"}
                reason: BackOff
                message: "  Back-off restarting failed container\\n"
                type: Warning
                source: {component: kubelet, host: node-a}
                firstTimestamp: "2026-11-26T11:00:00Z"
                lastTimestamp: "2026-11-26T11:58:00Z"
                count: 12
                """), NOW);
        assertThat(row.cells()).containsExactly("2m", "Warning", "BackOff", "pod/web-1", "spec.containers{app}",
                "kubelet, node-a", "Back-off restarting failed container", "60m", 12L, "web.17f3a");
    }

    @Test
    void eventFromTheNewApiUsesEventTimeSeriesAndReportingFields() {
        var row = new EventTableConvertor().row(yaml("""
                metadata: {name: e}
                involvedObject: {kind: Service}
                reason: Sync
                message: ok
                type: Normal
                eventTime: "2026-11-26T11:50:00.000000Z"
                reportingComponent: ferry-controller
                """), NOW);
        assertThat(row.cells()).containsExactly("10m", "Normal", "Sync", "service", "", "ferry-controller", "ok",
                "10m", 1L, "e");
        var series = new EventTableConvertor().row(yaml("""
                eventTime: "2026-11-26T11:00:00.000000Z"
                series: {count: 7, lastObservedTime: "2026-11-26T11:59:00.000000Z"}
                """), NOW);
        assertThat(series.cells().get(0)).isEqualTo("60s");
        assertThat(series.cells().get(8)).isEqualTo(7L);
    }

    @Test
    void defaultConvertorShowsNameAndCreationTimeInUtc() {
        var convertor = new DefaultTableConvertor();
        assertThat(convertor.columns()).extracting(ColumnDefinition::name, ColumnDefinition::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Name", "string"),
                        org.assertj.core.groups.Tuple.tuple("Created At", "date"));
        assertThat(convertor.row(yaml("""
                metadata: {name: cm, creationTimestamp: "2026-11-26T13:21:49+02:00"}
                """), NOW).cells()).containsExactly("cm", "2026-11-26T11:21:49Z");
        assertThat(convertor.row(yaml("metadata: {name: cm}"), NOW).cells())
                .containsExactly("cm", "0001-01-01T00:00:00Z");
    }
}
