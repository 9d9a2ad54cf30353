package dev.ferry.apiserver.table;

import static dev.ferry.apiserver.table.Objects.NOW;
import static dev.ferry.apiserver.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PodTableConvertorTest {
    private final PodTableConvertor convertor = new PodTableConvertor();

    @Test
    void columnsAreUpstreamsWithWideOnesAtPriorityOne() {
        assertThat(convertor.columns()).extracting(ColumnDefinition::name).containsExactly(
                "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates");
        assertThat(convertor.columns()).extracting(ColumnDefinition::priority).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(convertor.columns().get(0).format()).isEqualTo("name");
        assertThat(convertor.columns()).extracting(ColumnDefinition::type).containsOnly("string");
    }

    @Test
    void runningPodWithRestartsAndWideCells() {
        var row = convertor.row(yaml("""
                metadata: {name: web-1, creationTimestamp: "2026-11-26T11:56:40Z"}
                spec:
                  nodeName: node-a
                  containers: [{name: app, image: nginx}, {name: sidecar, image: envoy}]
                  readinessGates: [{conditionType: example.com/gate}]
                status:
                  phase: Running
                  podIP: 10.244.0.7
                  podIPs: [{ip: 10.244.0.7}, {ip: "fd00::7"}]
                  conditions:
                  - {type: Ready, status: "True"}
                  - {type: example.com/gate, status: "True"}
                  containerStatuses:
                  - name: app
                    ready: true
                    restartCount: 2
                    state: {running: {startedAt: "2026-11-26T11:57:00Z"}}
                    lastState: {terminated: {exitCode: 1, finishedAt: "2026-11-26T11:55:00Z"}}
                  - name: sidecar
                    ready: false
                    restartCount: 0
                    state: {running: {startedAt: "2026-11-26T11:57:00Z"}}
                """), NOW);
        assertThat(row.cells()).containsExactly(
                "web-1", "1/2", "Running", "2 (5m ago)", "3m20s", "10.244.0.7", "node-a", "<none>", "1/1");
        assertThat(row.conditions()).isEmpty();
    }

    @Test
    void pendingUnscheduledPodShowsNoneForWideCells() {
        var row = convertor.row(yaml("""
                metadata: {name: p, creationTimestamp: "2026-11-26T11:59:55Z"}
                spec: {containers: [{name: app, image: nginx}]}
                status: {phase: Pending}
                """), NOW);
        assertThat(row.cells()).containsExactly("p", "0/1", "Pending", "0", "5s", "<none>", "<none>", "<none>", "<none>");
    }

    @Test
    void waitingReasonWins() {
        assertThat(status("""
                status:
                  phase: Pending
                  containerStatuses:
                  - {name: app, ready: false, restartCount: 0, state: {waiting: {reason: ContainerCreating}}}
                """)).isEqualTo("ContainerCreating");
        assertThat(status("""
                status:
                  phase: Running
                  containerStatuses:
                  - {name: app, ready: false, restartCount: 4, state: {waiting: {reason: CrashLoopBackOff, message: back-off}}}
                """)).isEqualTo("CrashLoopBackOff");
    }

    @Test
    void terminatedContainerGivesReasonOrExitCodeOrSignal() {
        assertThat(status("""
                status:
                  phase: Succeeded
                  containerStatuses:
                  - {name: app, state: {terminated: {exitCode: 0, reason: Completed}}}
                """)).isEqualTo("Completed");
        assertThat(status("""
                status:
                  phase: Failed
                  containerStatuses:
                  - {name: app, state: {terminated: {exitCode: 3}}}
                """)).isEqualTo("ExitCode:3");
        assertThat(status("""
                status:
                  phase: Failed
                  containerStatuses:
                  - {name: app, state: {terminated: {exitCode: 137, signal: 9}}}
                """)).isEqualTo("Signal:9");
    }

    @Test
    void completedWithARunningContainerIsRunningOrNotReady() {
        String base = """
                status:
                  phase: Running
                  conditions: [{type: Ready, status: "%s"}]
                  containerStatuses:
                  - {name: a, ready: false, state: {terminated: {exitCode: 0, reason: Completed}}}
                  - {name: b, ready: true, state: {running: {}}}
                """;
        // statuses are walked last to first, so a's Completed is the final reason
        assertThat(status(base.formatted("True"))).isEqualTo("Running");
        assertThat(status(base.formatted("False"))).isEqualTo("NotReady");
    }

    @Test
    void succeededAndFailedPodsCarryTheCompletedRowCondition() {
        var row = convertor.row(yaml("""
                metadata: {name: job}
                status: {phase: Succeeded}
                """), NOW);
        assertThat(row.conditions()).containsExactly(new TableConvertor.RowCondition(
                "Completed", "True", "Succeeded", "The pod has completed successfully."));
        assertThat(convertor.row(yaml("status: {phase: Failed}"), NOW).conditions())
                .extracting(TableConvertor.RowCondition::reason).containsExactly("Failed");
    }

    @Test
    void deletionTimestampMeansTerminatingUnlessTerminalOrNodeLost() {
        assertThat(status("""
                metadata: {deletionTimestamp: "2026-11-26T11:59:00Z"}
                status: {phase: Running}
                """)).isEqualTo("Terminating");
        assertThat(status("""
                metadata: {deletionTimestamp: "2026-11-26T11:59:00Z"}
                status: {phase: Succeeded}
                """)).isEqualTo("Succeeded");
        assertThat(status("""
                metadata: {deletionTimestamp: "2026-11-26T11:59:00Z"}
                status: {phase: Running, reason: NodeLost}
                """)).isEqualTo("Unknown");
    }

    @Test
    void initContainersReportProgressAndFailures() {
        String spec = """
                spec:
                  initContainers: [{name: i1}, {name: i2}]
                  containers: [{name: app}]
                """;
        assertThat(status(spec + """
                status:
                  phase: Pending
                  initContainerStatuses:
                  - {name: i1, state: {terminated: {exitCode: 0}}}
                  - {name: i2, state: {running: {}}}
                """)).isEqualTo("Init:1/2");
        assertThat(status(spec + """
                status:
                  phase: Pending
                  initContainerStatuses:
                  - {name: i1, restartCount: 3, state: {waiting: {reason: CrashLoopBackOff}}}
                """)).isEqualTo("Init:CrashLoopBackOff");
        assertThat(status(spec + """
                status:
                  phase: Pending
                  initContainerStatuses:
                  - {name: i1, state: {terminated: {exitCode: 2}}}
                """)).isEqualTo("Init:ExitCode:2");
    }

    @Test
    void restartableInitContainersCountAsContainers() {
        var row = convertor.row(yaml("""
                metadata: {name: p}
                spec:
                  initContainers: [{name: proxy, restartPolicy: Always}]
                  containers: [{name: app}]
                status:
                  phase: Running
                  conditions: [{type: Initialized, status: "True"}]
                  initContainerStatuses:
                  - {name: proxy, ready: true, started: true, restartCount: 1, state: {running: {}}}
                  containerStatuses:
                  - {name: app, ready: true, restartCount: 0, state: {running: {}}}
                """), NOW);
        assertThat(row.cells().subList(1, 4)).containsExactly("2/2", "Running", "1");
    }

    @Test
    void schedulingGatedConditionOverridesPhase() {
        assertThat(status("""
                status:
                  phase: Pending
                  conditions: [{type: PodScheduled, status: "False", reason: SchedulingGated}]
                """)).isEqualTo("SchedulingGated");
    }

    private String status(String yaml) {
        List<Object> cells = convertor.row(yaml(yaml), NOW).cells();
        return (String) cells.get(2);
    }
}
