package dev.ferry.apiserver.table;

import static dev.ferry.apiserver.table.Objects.NOW;
import static dev.ferry.apiserver.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Deployments and ReplicaSets. */
class WorkloadTableConvertorsTest {

    @Test
    void deployment() {
        var convertor = new DeploymentTableConvertor();
        assertThat(convertor.columns()).extracting(ColumnDefinition::name).containsExactly(
                "Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector");
        var row = convertor.row(yaml("""
                metadata: {name: web, creationTimestamp: "2026-11-24T09:00:00Z"}
                spec:
                  replicas: 3
                  selector:
                    matchLabels: {app: web}
                    matchExpressions:
                    - {key: tier, operator: In, values: [front, edge]}
                    - {key: canary, operator: DoesNotExist}
                  template:
                    spec: {containers: [{name: nginx, image: "nginx:1.27"}, {name: log, image: busybox}]}
                status: {replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2}
                """), NOW);
        assertThat(row.cells()).containsExactly("web", "2/3", 3L, 2L, "2d3h", "nginx,log", "nginx:1.27,busybox",
                "app=web,!canary,tier in (edge,front)");
    }

    @Test
    void deploymentWithoutStatusOrReplicasDefaultsToOneDesired() {
        var row = new DeploymentTableConvertor().row(yaml("""
                metadata: {name: fresh}
                spec: {selector: {matchLabels: {app: fresh}}, template: {spec: {containers: [{name: c, image: i}]}}}
                """), NOW);
        assertThat(row.cells().subList(1, 4)).containsExactly("0/1", 0L, 0L);
    }

    @Test
    void deploymentSelectorIsEmptyWhenAbsentAndInvalidWhenBroken() {
        var convertor = new DeploymentTableConvertor();
        assertThat(convertor.row(yaml("metadata: {name: x}"), NOW).cells().get(7)).isEqualTo("");
        assertThat(convertor.row(yaml("""
                spec: {selector: {matchExpressions: [{key: a, operator: Near}]}}
                """), NOW).cells().get(7)).isEqualTo("<invalid>");
    }

    @Test
    void replicaSet() {
        var convertor = new ReplicaSetTableConvertor();
        assertThat(convertor.columns()).extracting(ColumnDefinition::name).containsExactly(
                "Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector");
        assertThat(convertor.columns()).extracting(ColumnDefinition::type)
                .containsExactly("string", "integer", "integer", "integer", "string", "string", "string", "string");
        var row = convertor.row(yaml("""
                metadata: {name: web-5d9c7b, creationTimestamp: "2026-11-26T11:59:00Z"}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web, pod-template-hash: 5d9c7b}}
                  template: {spec: {containers: [{name: nginx, image: nginx}]}}
                status: {replicas: 2, readyReplicas: 1}
                """), NOW);
        assertThat(row.cells()).containsExactly("web-5d9c7b", 2L, 2L, 1L, "60s", "nginx", "nginx",
                "app=web,pod-template-hash=5d9c7b");
        assertThat(convertor.row(yaml("spec: {selector: {}}"), NOW).cells().get(7)).isEqualTo("<none>");
    }
}
