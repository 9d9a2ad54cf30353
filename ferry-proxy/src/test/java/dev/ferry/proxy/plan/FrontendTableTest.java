package dev.ferry.proxy.plan;

import static dev.ferry.proxy.Fixtures.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Pick;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.ServicePortName;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrontendTableTest {
    private final FrontendTable table = new FrontendTable();
    private static final Frontend F1 = new Frontend(ip("127.96.0.1"), 80, Protocol.TCP);
    private static final Frontend F2 = new Frontend(ip("127.77.9.1"), 80, Protocol.TCP);
    private static final Frontend F3 = new Frontend(ip("127.96.0.2"), 80, Protocol.TCP);
    private static final Frontend F2_UDP = new Frontend(ip("127.77.9.1"), 80, Protocol.UDP);

    /** A route that only has an identity. */
    private record R(String id) implements Route {
        @Override
        public ServicePortName servicePort() {
            return new ServicePortName("ns", id, "", Protocol.TCP);
        }

        @Override
        public Pick pick(InetSocketAddress client) {
            return Pick.REFUSE;
        }

        @Override
        public void connected(InetSocketAddress client, Backend backend) {
        }

        @Override
        public boolean serves(Backend backend) {
            return false;
        }
    }

    @Test
    void claimsBecomeActive() {
        R a1 = new R("a1");
        R a2 = new R("a2");
        table.put("ns/a", Map.of(F1, a1, F2, a2));
        assertThat(table.active()).containsExactlyInAnyOrderEntriesOf(Map.of(F1, a1, F2, a2));
        assertThat(table.owner(F1)).isEqualTo("ns/a");
        assertThat(table.owner(F3)).isNull();
        assertThat(table.conflicts("ns/a")).isEmpty();
        assertThat(table.serviceKeys()).containsExactly("ns/a");
    }

    @Test
    void firstClaimantOwnsAndOthersConflict() {
        R a2 = new R("a2");
        R b2 = new R("b2");
        R b3 = new R("b3");
        table.put("ns/a", Map.of(F2, a2));
        table.put("ns/b", Map.of(F2, b2, F3, b3));

        assertThat(table.active()).containsExactlyInAnyOrderEntriesOf(Map.of(F2, a2, F3, b3));
        assertThat(table.owner(F2)).isEqualTo("ns/a");
        assertThat(table.conflicts("ns/b")).containsExactly(Map.entry(F2, "ns/a"));
        assertThat(table.conflicts("ns/a")).isEmpty();
    }

    @Test
    void sameAddressAndPortWithOtherProtocolIsNoConflict() {
        table.put("ns/a", Map.of(F2, new R("a")));
        table.put("ns/b", Map.of(F2_UDP, new R("b")));
        assertThat(table.conflicts("ns/b")).isEmpty();
        assertThat(table.active()).hasSize(2);
    }

    @Test
    void ownerReplacingItsRouteUpdatesActiveButAWaiterDoesNot() {
        table.put("ns/a", Map.of(F2, new R("a-old")));
        table.put("ns/b", Map.of(F2, new R("b-old")));
        R aNew = new R("a-new");
        table.put("ns/a", Map.of(F2, aNew));
        assertThat(table.active().get(F2)).isSameAs(aNew);
        table.put("ns/b", Map.of(F2, new R("b-new")));
        assertThat(table.active().get(F2)).isSameAs(aNew);
        assertThat(table.owner(F2)).as("re-putting keeps the claim order").isEqualTo("ns/a");
    }

    @Test
    void nextClaimantTakesOverOnRelease() {
        R b2 = new R("b2");
        table.put("ns/a", Map.of(F1, new R("a1"), F2, new R("a2")));
        table.put("ns/b", Map.of(F2, b2));

        table.put("ns/a", Map.of(F1, new R("a1")));
        assertThat(table.active().get(F2)).isSameAs(b2);
        assertThat(table.owner(F2)).isEqualTo("ns/b");
        assertThat(table.conflicts("ns/b")).isEmpty();
    }

    @Test
    void waitersTakeOverInClaimOrder() {
        R b = new R("b");
        R c = new R("c");
        table.put("ns/a", Map.of(F2, new R("a")));
        table.put("ns/b", Map.of(F2, b));
        table.put("ns/c", Map.of(F2, c));
        assertThat(table.conflicts("ns/c")).containsExactly(Map.entry(F2, "ns/a"));

        table.put("ns/a", Map.of());
        assertThat(table.active().get(F2)).isSameAs(b);
        assertThat(table.conflicts("ns/c")).containsExactly(Map.entry(F2, "ns/b"));

        table.put("ns/a", Map.of(F2, new R("a-again")));
        assertThat(table.owner(F2)).as("a returning claimant queues behind").isEqualTo("ns/b");

        table.put("ns/b", Map.of());
        assertThat(table.active().get(F2)).isSameAs(c);
    }

    @Test
    void waiterLeavingChangesNothingForTheOwner() {
        R a = new R("a");
        table.put("ns/a", Map.of(F2, a));
        table.put("ns/b", Map.of(F2, new R("b")));
        table.put("ns/b", Map.of());
        assertThat(table.active()).containsExactly(Map.entry(F2, a));
        table.put("ns/a", Map.of());
        assertThat(table.active()).isEmpty();
        assertThat(table.owner(F2)).isNull();
    }

    @Test
    void removingAServiceDropsItsFrontends() {
        R b3 = new R("b3");
        table.put("ns/a", Map.of(F1, new R("a1"), F2, new R("a2")));
        table.put("ns/b", Map.of(F3, b3));
        table.put("ns/a", Map.of());
        assertThat(table.active()).containsExactly(Map.entry(F3, b3));
        assertThat(table.serviceKeys()).containsExactly("ns/b");
        assertThat(table.conflicts("ns/a")).isEmpty();
        table.put("ns/never", Map.of());
        assertThat(table.serviceKeys()).containsExactly("ns/b");
    }

    @Test
    void activeIsALiveReadOnlyView() {
        Map<Frontend, Route> view = table.active();
        table.put("ns/a", Map.of(F1, new R("a1")));
        assertThat(view).containsOnlyKeys(F1);
        assertThatThrownBy(() -> view.remove(F1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void putCopiesTheCallersMap() {
        var routes = new java.util.HashMap<Frontend, Route>(Map.of(F1, new R("a1"), F2, new R("a2")));
        table.put("ns/a", routes);
        table.put("ns/b", Map.of(F2, new R("b2")));
        routes.remove(F2);
        table.put("ns/a", Map.of(F1, new R("a1")));
        assertThat(table.owner(F2)).isEqualTo("ns/b");
    }

    @Test
    void changesListWhatTheDataPlaneMustDoUntilApplied() {
        R a1 = new R("a1");
        R a2 = new R("a2");
        R b2 = new R("b2");
        table.put("ns/a", Map.of(F1, a1, F2, a2));
        assertThat(table.changes()).containsExactlyInAnyOrderEntriesOf(Map.of(F1, a1, F2, a2));
        table.changesApplied();
        assertThat(table.changes()).isEmpty();

        // an unchanged route object is no change; a claimant waiting behind the owner is none either
        table.put("ns/a", Map.of(F1, a1, F2, a2));
        table.put("ns/b", Map.of(F2, b2));
        assertThat(table.changes()).isEmpty();

        // the owner lets go: the waiting claimant's route takes over; a dropped frontend is a null change
        table.put("ns/a", Map.of(F1, a1));
        assertThat(table.changes()).containsExactlyInAnyOrderEntriesOf(Map.of(F2, b2));
        table.put("ns/a", Map.of());
        java.util.Map<Frontend, Route> expected = new java.util.HashMap<>();
        expected.put(F1, null);
        expected.put(F2, b2);
        assertThat(table.changes()).containsExactlyInAnyOrderEntriesOf(expected);

        // changes pile up until applied (a failed sync keeps them)
        R a3 = new R("a3");
        table.put("ns/a", Map.of(F3, a3));
        expected.put(F3, a3);
        assertThat(table.changes()).containsExactlyInAnyOrderEntriesOf(expected);
    }
}
