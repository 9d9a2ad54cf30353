package dev.ferry.apiserver.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.allocation.AllocationLedger;
import dev.ferry.apiserver.allocation.AllocationLedger.Claim;
import dev.ferry.apiserver.allocation.IpAllocator;
import dev.ferry.apiserver.allocation.PortAllocator;
import dev.ferry.apiserver.allocation.StoreLedger;
import dev.ferry.store.MemoryStore;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The sweep of unbacked claims, on a real store-backed ledger; "stored Services" are a list the test controls. */
class AllocationRepairTest {
    private final MemoryStore store = new MemoryStore();
    private final StoreLedger ledger = new StoreLedger(store);
    private final IpAllocator ips = new IpAllocator("127.96.0.0/16", new Random(1));
    private final PortAllocator ports = new PortAllocator(30000, 32767, new Random(2));
    private final ServiceAllocations allocations = new ServiceAllocations(ips, ports, ledger);
    private final List<ObjectNode> stored = new CopyOnWriteArrayList<>();
    private final AllocationRepair repair = new AllocationRepair(allocations, () -> stored);

    @AfterEach
    void close() {
        repair.close();
        store.close();
    }

    private static ObjectNode service(String name, String ip, int nodePort) {
        return Manifests.json("{'metadata':{'namespace':'default','name':'" + name + "'},'spec':{'type':'NodePort',"
                + "'clusterIP':'" + ip + "','clusterIPs':['" + ip + "'],'ports':[{'port':80,'nodePort':" + nodePort
                + "}]}}");
    }

    private List<String> claimedValues() {
        return ledger.claims().stream().map(Claim::value).sorted().toList();
    }

    @Test
    void aDanglingClaimIsFreedAfterTwoSweepsABackedOneIsKept() {
        stored.add(service("kept", "127.96.1.1", 30001));
        allocations.rebuild(stored);
        ledger.claim(AllocationLedger.SERVICE_IPS, "127.96.2.2", "default/crashed");
        ledger.claim(AllocationLedger.NODE_PORTS, "30002", "default/crashed");
        allocations.rebuild(List.of());
        assertThat(ips.has("127.96.2.2")).isTrue();
        assertThat(ports.has(30002)).isTrue();

        assertThat(repair.sweep()).as("first sighting: kept").isEmpty();
        assertThat(claimedValues()).containsExactly("127.96.1.1", "127.96.2.2", "30001", "30002");
        assertThat(ips.has("127.96.2.2")).isTrue();

        assertThat(repair.sweep()).extracting(Claim::value).containsExactlyInAnyOrder("127.96.2.2", "30002");
        assertThat(claimedValues()).containsExactly("127.96.1.1", "30001");
        assertThat(ips.allocated()).containsExactly("127.96.1.1");
        assertThat(ports.allocated()).containsExactly(30001);
        assertThat(repair.sweep()).isEmpty();
        assertThat(claimedValues()).containsExactly("127.96.1.1", "30001");
    }

    @Test
    void aClaimThatGetsItsServiceBetweenSweepsIsKept() {
        ledger.claim(AllocationLedger.SERVICE_IPS, "127.96.3.3", "default/slow");
        assertThat(repair.sweep()).isEmpty();
        stored.add(service("slow", "127.96.3.3", 30003));
        ledger.claim(AllocationLedger.NODE_PORTS, "30003", "default/slow");
        assertThat(repair.sweep()).isEmpty();
        assertThat(repair.sweep()).isEmpty();
        assertThat(claimedValues()).containsExactly("127.96.3.3", "30003");
    }

    @Test
    void aClaimReleasedAndMadeAgainStartsOver() {
        ledger.claim(AllocationLedger.NODE_PORTS, "30004", "default/a");
        assertThat(repair.sweep()).isEmpty();
        ledger.release(AllocationLedger.NODE_PORTS, "30004");
        ledger.claim(AllocationLedger.NODE_PORTS, "30004", "default/b");
        assertThat(repair.sweep()).as("a new claim, seen unbacked once").isEmpty();
        assertThat(repair.sweep()).extracting(Claim::owner).containsExactly("default/b");
    }

    @Test
    void aValueReleasedByAnotherServerIsFreedLocally() {
        ServiceAllocations other = new ServiceAllocations(new IpAllocator("127.96.0.0/16", new Random(1)),
                new PortAllocator(30000, 32767, new Random(2)), new StoreLedger(store));
        ObjectNode svc = Manifests.service("{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}");
        new ServiceStrategy(ServiceNetworkConfig.defaults()).prepareForCreate(svc);
        other.beforeCreate(svc).commit();
        String ip = svc.at("/spec/clusterIP").asString();
        stored.add(svc);
        allocations.rebuild(stored);
        assertThat(ports.has(30080)).isTrue();
        repair.sweep();
        assertThat(ports.has(30080)).as("claimed and stored: kept").isTrue();

        stored.clear();
        other.beforeDelete(svc).commit();
        repair.sweep();
        assertThat(ports.has(30080)).isFalse();
        assertThat(ips.has(ip)).isFalse();
    }

    @Test
    void nothingIsSweptWithALocalLedger() {
        ServiceAllocations local = new ServiceAllocations(ips, ports);
        local.rebuild(List.of(service("s", "127.96.1.1", 30001)));
        AllocationRepair r = new AllocationRepair(local, List::of);
        r.sweep();
        r.sweep();
        assertThat(ips.has("127.96.1.1")).isTrue();
        assertThat(ports.has(30001)).isTrue();
    }

    @Test
    void theScheduledSweepRunsOnItsInterval() {
        ledger.claim(AllocationLedger.NODE_PORTS, "30005", "default/crashed");
        repair.start(Duration.ofMillis(20));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.claims().isEmpty());
    }
}
