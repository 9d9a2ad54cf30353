package dev.ferry.apiserver.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.allocation.AllocationLedger;
import dev.ferry.apiserver.allocation.AllocationLedger.Claim;
import dev.ferry.apiserver.allocation.IpAllocator;
import dev.ferry.apiserver.allocation.PortAllocator;
import dev.ferry.apiserver.allocation.StoreLedger;
import dev.ferry.apiserver.resource.WriteHook.Reservation;
import dev.ferry.store.MemoryStore;
import dev.ferry.store.StoreException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two allocation hooks ("API servers") with their own bitmaps, seeded alike so they pick the same candidates, sharing
 * one store-backed ledger.
 */
class ServiceAllocationsLedgerTest {
    private final ServiceStrategy strategy = new ServiceStrategy(ServiceNetworkConfig.defaults());
    private final MemoryStore store = new MemoryStore();
    private final StoreLedger ledger = new StoreLedger(store);
    private final IpAllocator ipsA = new IpAllocator("127.96.0.0/16", new Random(7));
    private final PortAllocator portsA = new PortAllocator(30000, 32767, new Random(8));
    private final ServiceAllocations a = new ServiceAllocations(ipsA, portsA, ledger);
    private final IpAllocator ipsB = new IpAllocator("127.96.0.0/16", new Random(7));
    private final PortAllocator portsB = new PortAllocator(30000, 32767, new Random(8));
    private final ServiceAllocations b = new ServiceAllocations(ipsB, portsB, new StoreLedger(store));

    @AfterEach
    void close() {
        store.close();
    }

    private static ObjectNode named(String name, String spec) {
        ObjectNode svc = Manifests.service(spec);
        ((ObjectNode) svc.get("metadata")).put("name", name);
        return svc;
    }

    private Reservation create(ServiceAllocations hook, ObjectNode svc) {
        strategy.prepareForCreate(svc);
        assertThat(strategy.validate(svc)).isEmpty();
        return hook.beforeCreate(svc);
    }

    private ObjectNode created(ServiceAllocations hook, String name, String spec) {
        ObjectNode svc = named(name, spec);
        create(hook, svc).commit();
        return svc;
    }

    private List<String> claimed(String kind) {
        return ledger.claims().stream().filter(c -> c.kind().equals(kind)).map(Claim::value).sorted().toList();
    }

    @Test
    void aCandidateClaimedElsewhereIsSkippedAndStaysMarked() {
        ObjectNode first = created(a, "one", "{'type':'NodePort','ports':[{'port':80}]}");
        ObjectNode second = created(b, "two", "{'type':'NodePort','ports':[{'port':80}]}");
        String ipA = first.at("/spec/clusterIP").asString();
        String ipB = second.at("/spec/clusterIP").asString();
        int portA = first.at("/spec/ports/0/nodePort").asInt();
        int portB = second.at("/spec/ports/0/nodePort").asInt();
        assertThat(ipB).isNotEqualTo(ipA);
        assertThat(portB).isNotEqualTo(portA);
        assertThat(ipsB.allocated()).as("b keeps a's address marked").containsExactlyInAnyOrder(ipA, ipB);
        assertThat(portsB.allocated()).containsExactlyInAnyOrder(portA, portB);
        assertThat(claimed(AllocationLedger.SERVICE_IPS)).containsExactlyInAnyOrder(ipA, ipB);
        assertThat(claimed(AllocationLedger.NODE_PORTS))
                .containsExactlyInAnyOrder(Integer.toString(portA), Integer.toString(portB));
        assertThat(ledger.claims()).filteredOn(c -> c.value().equals(ipA)).singleElement()
                .satisfies(c -> assertThat(c.owner()).isEqualTo("default/one"));
    }

    @Test
    void anExplicitIpClaimedElsewhereIsAlreadyAllocated() {
        created(a, "dns", "{'clusterIP':'127.96.0.10','ports':[{'port':53,'protocol':'UDP'}]}");
        assertThat(ipsB.has("127.96.0.10")).isFalse();
        ObjectNode other = named("other", "{'clusterIP':'127.96.0.10','ports':[{'port':80}]}");
        assertThatThrownBy(() -> create(b, other))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("Service \"other\" is invalid: spec.clusterIPs: Invalid "
                            + "value: [\"127.96.0.10\"]: failed to allocate IP 127.96.0.10: provided IP is already "
                            + "allocated");
                });
        assertThat(ipsB.has("127.96.0.10")).as("held elsewhere: stays marked").isTrue();
        assertThat(claimed(AllocationLedger.SERVICE_IPS)).containsExactly("127.96.0.10");
    }

    @Test
    void anExplicitNodePortClaimedElsewhereIsAlreadyAllocatedAndTheIpIsGivenBack() {
        created(a, "web", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}");
        ObjectNode other = named("other", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}");
        assertThatThrownBy(() -> create(b, other))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("Service \"other\" is invalid: spec.ports[0].nodePort: "
                            + "Invalid value: 30080: provided port is already allocated");
                });
        assertThat(claimed(AllocationLedger.SERVICE_IPS)).as("b's cluster IP claim was released").hasSize(1);
        assertThat(ipsB.used()).as("only a's address, marked on the failed claim of the first candidate").isEqualTo(1);
        assertThat(claimed(AllocationLedger.NODE_PORTS)).containsExactly("30080");
    }

    @Test
    void anExplicitHealthCheckPortClaimedElsewhereFailsWithUpstreamText() {
        created(a, "web", "{'type':'NodePort','ports':[{'port':80,'nodePort':31000}]}");
        ObjectNode lb = named("lb", "{'type':'LoadBalancer','externalTrafficPolicy':'Local',"
                + "'healthCheckNodePort':31000,'ports':[{'port':80}]}");
        assertThatThrownBy(() -> create(b, lb))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Internal error occurred: failed to allocate requested HealthCheck NodePort 31000: provided "
                                + "port is already allocated"));
        assertThat(claimed(AllocationLedger.NODE_PORTS)).containsExactly("31000");
    }

    @Test
    void aReleasedReservationDeletesItsClaims() {
        ObjectNode svc = named("web", "{'type':'LoadBalancer','externalTrafficPolicy':'Local','ports':[{'port':80}]}");
        Reservation r = create(a, svc);
        assertThat(ledger.claims()).hasSize(3);
        r.release();
        assertThat(ledger.claims()).isEmpty();
        assertThat(ipsA.used()).isZero();
        assertThat(portsA.used()).isZero();
    }

    @Test
    void committedDeletesAndUpdatesGiveTheirClaimsBack() {
        ObjectNode np = created(a, "np", "{'type':'NodePort','ports':[{'name':'a','port':80},{'name':'b','port':81}]}");
        ObjectNode update = np.deepCopy();
        ((ObjectNode) update.get("spec")).put("type", "ClusterIP");
        strategy.prepareForUpdate(update, np);
        a.beforeUpdate(update, np).commit();
        assertThat(claimed(AllocationLedger.NODE_PORTS)).isEmpty();
        assertThat(claimed(AllocationLedger.SERVICE_IPS)).containsExactly(np.at("/spec/clusterIP").asString());
        b.beforeDelete(update).commit();
        assertThat(ledger.claims()).isEmpty();
    }

    @Test
    void rebuildMarksClaimedValuesAndClaimsUnclaimedStoredOnes() {
        created(a, "dns", "{'clusterIP':'127.96.0.10','ports':[{'port':53,'protocol':'UDP'}]}");
        ledger.claim(AllocationLedger.NODE_PORTS, "30999", "x/in-flight");
        List<ObjectNode> stored = List.of(Manifests.json("{'metadata':{'namespace':'old','name':'np'},"
                + "'spec':{'type':'NodePort','clusterIP':'127.96.7.7','clusterIPs':['127.96.7.7'],"
                + "'ports':[{'port':80,'nodePort':30053}]}}"));
        assertThat(b.rebuild(stored)).isEmpty();
        assertThat(ipsB.allocated()).containsExactlyInAnyOrder("127.96.0.10", "127.96.7.7");
        assertThat(portsB.allocated()).containsExactlyInAnyOrder(30053, 30999);
        assertThat(claimed(AllocationLedger.SERVICE_IPS)).containsExactlyInAnyOrder("127.96.0.10", "127.96.7.7");
        assertThat(claimed(AllocationLedger.NODE_PORTS)).containsExactlyInAnyOrder("30053", "30999");
        assertThat(ledger.claims()).filteredOn(c -> c.value().equals("30053")).singleElement()
                .satisfies(c -> assertThat(c.owner()).isEqualTo("old/np"));
    }

    @Test
    void anUnreachableLedgerFailsTheWriteAndLeavesNothingMarked() {
        AllocationLedger down = new AllocationLedger() {
            @Override
            public boolean claim(String kind, String value, String owner) {
                throw new StoreException.Unavailable("etcd is down", null);
            }

            @Override
            public void release(String kind, String value) {
                throw new StoreException.Unavailable("etcd is down", null);
            }

            @Override
            public boolean releaseIfUnchanged(Claim claim) {
                return false;
            }

            @Override
            public List<Claim> claims() {
                return List.of();
            }

            @Override
            public boolean shared() {
                return true;
            }
        };
        ServiceAllocations hook = new ServiceAllocations(ipsA, portsA, down);
        ObjectNode svc = named("web", "{'type':'NodePort','ports':[{'port':80}]}");
        assertThatThrownBy(() -> create(hook, svc)).isInstanceOf(StoreException.Unavailable.class);
        assertThat(ipsA.used()).isZero();
        assertThat(portsA.used()).isZero();
    }
}
