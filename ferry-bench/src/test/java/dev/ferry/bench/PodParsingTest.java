package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PodParsingTest {
    private static final long MS = 1_000_000L;

    private static JsonNode json(String s) {
        return Api.JSON.readTree(s.replace('\'', '"'));
    }

    private static JsonNode pod(String name, String ip, String ready) {
        return json("{'metadata':{'name':'" + name + "','namespace':'ns'},'status':{'podIP':'" + ip
                + "','conditions':[{'type':'PodScheduled','status':'True'},{'type':'Ready','status':'" + ready
                + "'}]}}");
    }

    private static JsonNode slice(String name, String trigger, String... readyIps) {
        StringBuilder eps = new StringBuilder();
        for (String ip : readyIps) {
            boolean notReady = ip.startsWith("!");
            eps.append(eps.isEmpty() ? "" : ",").append("{'addresses':['").append(notReady ? ip.substring(1) : ip)
                    .append("'],'conditions':{'ready':").append(!notReady).append("}}");
        }
        String ann = trigger == null ? "" : ",'annotations':{'" + ReadyToSlice.TRIGGER + "':'" + trigger + "'}";
        return json("{'metadata':{'name':'" + name + "','namespace':'ns'" + ann + "},'endpoints':[" + eps + "]}");
    }

    @Test
    void podReadyNeedsReadyConditionAnIpAndNoDeletion() {
        assertThat(PodJson.ready(pod("a", "10.0.0.2", "True"))).isTrue();
        assertThat(PodJson.ready(pod("a", "10.0.0.2", "False"))).isFalse();
        assertThat(PodJson.ready(pod("a", "", "True"))).isFalse();
        assertThat(PodJson.ready(json("{'metadata':{'name':'a','deletionTimestamp':'2026-01-01T00:00:00Z'},"
                + "'status':{'podIP':'10.0.0.2','conditions':[{'type':'Ready','status':'True'}]}}"))).isFalse();
        assertThat(PodJson.running(json("{'status':{'containerStatuses':[{'state':{'running':{}}}]}}"))).isTrue();
        assertThat(PodJson.running(json("{'status':{'containerStatuses':[{'state':{'waiting':{}}}]}}"))).isFalse();
        assertThat(PodJson.running(json("{'status':{}}"))).isFalse();
    }

    @Test
    void podReadyThenSliceGivesTheTimeBetween() {
        ReadyToSlice t = new ReadyToSlice();
        t.onPod("ADDED", pod("a", "10.0.0.2", "False"), 0);
        t.onPod("MODIFIED", pod("a", "10.0.0.2", "True"), 100 * MS);
        t.onPod("MODIFIED", pod("a", "10.0.0.2", "True"), 110 * MS);   // still Ready: not a new start
        assertThat(t.pending()).isEqualTo(1);

        t.onSlice("ADDED", slice("s-1", null, "!10.0.0.2"), 120 * MS, Instant.EPOCH);
        assertThat(t.readyEndpoints()).isZero();
        t.onSlice("MODIFIED", slice("s-1", null, "10.0.0.2"), 130 * MS, Instant.EPOCH);

        assertThat(t.readyEndpoints()).isEqualTo(1);
        assertThat(t.pending()).isZero();
        Summary s = t.takeLatencies().summary();
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(30.0);
        assertThat(t.takeLatencies().size()).isZero();
    }

    @Test
    void sliceReadFirstCountsAsZeroAndAnAddressMovingSlicesIsNotNew() {
        ReadyToSlice t = new ReadyToSlice();
        t.onSlice("ADDED", slice("s-1", null, "10.0.0.3"), 10 * MS, Instant.EPOCH);
        t.onPod("ADDED", pod("b", "10.0.0.3", "True"), 12 * MS);
        assertThat(t.sliceFirst()).isEqualTo(1);
        assertThat(t.takeLatencies().summary().max()).isEqualTo(0.0);

        t.onSlice("ADDED", slice("s-2", null, "10.0.0.3"), 20 * MS, Instant.EPOCH);
        t.onSlice("MODIFIED", slice("s-1", null), 21 * MS, Instant.EPOCH);
        assertThat(t.readyEndpoints()).isEqualTo(1);
        assertThat(t.takeLatencies().size()).isZero();
        assertThat(t.readyPods()).containsExactly("ns/b");

        t.onSlice("DELETED", slice("s-2", null, "10.0.0.3"), 30 * MS, Instant.EPOCH);
        t.onPod("DELETED", pod("b", "10.0.0.3", "True"), 31 * MS);
        assertThat(t.readyEndpoints()).isZero();
        assertThat(t.readyPods()).isEmpty();
    }

    @Test
    void triggerTimeLatencyIsWallClockAtTheSliceEventMinusTheAnnotation() {
        ReadyToSlice t = new ReadyToSlice();
        t.onPod("ADDED", pod("a", "10.0.0.2", "True"), 0);
        t.onSlice("ADDED", slice("s-1", "2026-11-26T10:00:00.250Z", "10.0.0.2"), 5 * MS,
                Instant.parse("2026-11-26T10:00:01Z"));
        t.onSlice("MODIFIED", slice("s-1", "2026-11-26T10:00:00.900Z", "10.0.0.2"), 6 * MS,
                Instant.parse("2026-11-26T10:00:02Z"));   // no new ready address: not counted

        Summary s = t.takeTriggerLatencies().summary();
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(750.0);
    }

    @Test
    void heapInfoSumsGenerationsAndSkipsMetaspace() {
        String serial = """
                1234:
                 def new generation   total 4928K, used 1120K [0x00000000e0000000, 0x00000000e0550000)
                  eden space 4416K,  25% used [0x00000000e0000000, 0x00000000e0118000, 0x00000000e0450000)
                 tenured generation   total 10944K, used 5400K [0x00000000eaaa0000, 0x00000000eb550000)
                 Metaspace       used 1234K, committed 1344K, reserved 1114112K
                  class space    used 123K, committed 192K, reserved 1048576K
                """;
        assertThat(HeapInfo.parse(serial)).isEqualTo(new HeapInfo(6520, 1234));
        assertThat(HeapInfo.parse(" garbage-first heap   total 262144K, used 20480K [0x0, 0x1)\n").heapUsedKib())
                .isEqualTo(20480);
        assertThatThrownBy(() -> HeapInfo.parse("1234:\nnothing\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsAndNodeMask() {
        PodOptions o = PodOptions.parse(new String[] {"--quick", "--services", "7", "--phases", "podstart"});
        assertThat(o.services).isEqualTo(7);
        assertThat(o.phases).isEqualTo(List.of("podstart"));
        assertThatThrownBy(() -> PodOptions.parse(new String[] {"--phases", "nope"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PodOptions.nodeMaskFor(100)).isEqualTo(24);
        assertThat(PodOptions.nodeMaskFor(2_000)).isEqualTo(20);
        assertThat(PodOptions.nodeMaskFor(10_000)).isEqualTo(18);
        assertThat(AgentMemoryBench.agentReady("Ferry agent is ready (812 ms): node sim1, API http://127.0.0.1:4242"))
                .hasValueSatisfying(r -> assertThat(r.api().getPort()).isEqualTo(4242));
        assertThat(AgentMemoryBench.agentReady("Ferry is ready (1 ms): API http://x, kubeconfig /k")).isEmpty();
    }
}
