package dev.ferry.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Cases of upstream's TestAddHints, and what a second sync over written slices does. */
class AutoHintsTest {
    private static final UnaryOperator<EndpointSlice> COPY = s -> new EndpointSliceBuilder(s).build();

    private static ZoneShares shares(Object... zoneAndShare) {
        Map<String, Double> m = new TreeMap<>();
        for (int i = 0; i < zoneAndShare.length; i += 2) {
            m.put((String) zoneAndShare[i], (Double) zoneAndShare[i + 1]);
        }
        return new ZoneShares(new TreeMap<>(m), null);
    }

    /** An endpoint "address@zone", ready unless the address ends in "!", with hint "->zone" if given. */
    private static Endpoint ep(String spec) {
        String hint = spec.contains("->") ? spec.substring(spec.indexOf("->") + 2) : null;
        String rest = hint == null ? spec : spec.substring(0, spec.indexOf("->"));
        boolean ready = !rest.endsWith("!");
        rest = rest.replace("!", "");
        String[] parts = rest.split("@");
        EndpointBuilder b = new EndpointBuilder().withAddresses(parts[0])
                .withConditions(new EndpointConditions(ready, ready, false));
        if (parts.length > 1) {
            b.withZone(parts[1]);
        }
        if (hint != null) {
            b.withHints(new EndpointHints(null, List.of(new ForZone(hint))));
        }
        return b.build();
    }

    private static EndpointSlice slice(String name, String... endpoints) {
        List<Endpoint> eps = new ArrayList<>();
        for (String e : endpoints) {
            eps.add(ep(e));
        }
        return new EndpointSliceBuilder().withNewMetadata().withName(name).endMetadata().withAddressType("IPv4")
                .withEndpoints(eps).build();
    }

    /** address → hinted zone ("-" for none), over the slices in order. */
    private static Map<String, String> hints(List<EndpointSlice> slices) {
        Map<String, String> out = new LinkedHashMap<>();
        for (EndpointSlice s : slices) {
            for (Endpoint e : s.getEndpoints()) {
                String zone = e.getHints() == null ? "-" : e.getHints().getForZones().get(0).getName();
                out.merge(e.getAddresses().get(0), zone, (a, b) -> a + "," + b);
            }
        }
        return out;
    }

    private static List<EndpointSlice> list(EndpointSlice... slices) {
        return new ArrayList<>(List.of(slices));
    }

    @Test
    void withoutNodeInformationNoHintsAreGiven() {
        List<EndpointSlice> create = list(slice(null, "10.1.2.3@zone-a"));
        AutoHints.Outcome out = AutoHints.assign(ZoneShares.NONE, create, list(), list(), COPY);
        assertThat(out.enabled()).isFalse();
        assertThat(out.problem()).isEqualTo(ZoneShares.INSUFFICIENT_NODE_INFO);
        assertThat(hints(create)).containsExactly(Map.entry("10.1.2.3", "-"));
    }

    @Test
    void fewerEndpointsThanZonesGiveNoHints() {
        List<EndpointSlice> create = list(slice(null, "10.1.2.3@zone-a", "10.1.2.4@zone-b"));
        AutoHints.Outcome out = AutoHints.assign(shares("zone-a", 0.3, "zone-b", 0.4, "zone-c", 0.3), create, list(),
                list(), COPY);
        assertThat(out.problem()).isEqualTo("Insufficient number of endpoints (2 endpoints, 3 zones)");
        assertThat(hints(create).values()).containsOnly("-");
    }

    @Test
    void twoZonesTwoEndpointsEachGetsItsOwnZoneAndNotReadyOnesNone() {
        List<EndpointSlice> create = list(slice(null, "10.1.2.3@zone-a", "10.1.2.4@zone-b", "10.1.2.5@zone-b!"));
        AutoHints.Outcome out = AutoHints.assign(shares("zone-a", 0.45, "zone-b", 0.55), create, list(), list(),
                COPY);
        assertThat(out.enabled()).isTrue();
        assertThat(out.hintsByZone()).isEqualTo(Map.of("zone-a", 1, "zone-b", 1));
        assertThat(hints(create)).containsExactly(Map.entry("10.1.2.3", "zone-a"), Map.entry("10.1.2.4", "zone-b"),
                Map.entry("10.1.2.5", "-"));
    }

    @Test
    void aZoneAboveItsShareGivesEndpointsToOneBelowIt() {
        List<EndpointSlice> create = list(slice(null, "10.1.2.3@zone-a", "10.1.2.4@zone-b"),
                slice(null, "10.1.3.3@zone-c", "10.1.3.4@zone-c", "10.1.3.5@zone-a"));
        List<EndpointSlice> update = list(slice("u1", "10.2.2.3@zone-a", "10.2.2.4@zone-a"),
                slice("u2", "10.2.3.3@zone-b", "10.2.3.4@zone-c", "10.2.3.5@zone-a"));
        AutoHints.Outcome out = AutoHints.assign(shares("zone-a", 0.35, "zone-b", 0.35, "zone-c", 0.30), create,
                update, list(), COPY);
        assertThat(out.hintsByZone()).isEqualTo(Map.of("zone-a", 4, "zone-b", 3, "zone-c", 3));
        // the first zone-a endpoint goes to zone-b, the zone furthest below its share
        assertThat(hints(create)).containsExactly(Map.entry("10.1.2.3", "zone-b"), Map.entry("10.1.2.4", "zone-b"),
                Map.entry("10.1.3.3", "zone-c"), Map.entry("10.1.3.4", "zone-c"), Map.entry("10.1.3.5", "zone-a"));
        assertThat(hints(update).values()).containsExactly("zone-a", "zone-a", "zone-b", "zone-c", "zone-a");
    }

    @Test
    void aMinimumAboveTheEndpointsGivesNoHints() {
        // three equal zones with four endpoints: each zone needs ceil(1.33 / 1.2) = 2
        List<EndpointSlice> create = list(slice(null, "a1@zone-a", "a2@zone-a", "b1@zone-b", "c1@zone-c"));
        AutoHints.Outcome out = AutoHints.assign(shares("zone-a", 1 / 3.0, "zone-b", 1 / 3.0, "zone-c", 1 / 3.0),
                create, list(), list(), COPY);
        assertThat(out.problem()).isEqualTo("Unable to allocate minimum required endpoints to each zone without "
                + "exceeding overload threshold (4 endpoints, 3 zones)");
    }

    @Test
    void anEndpointWithoutZoneTurnsHintsOffEverywhere() {
        EndpointSlice hinted = slice("old", "a1@zone-a->zone-a", "b1@zone-b->zone-b");
        List<EndpointSlice> unchanged = list(hinted);
        List<EndpointSlice> create = list(slice(null, "a2@zone-a", "x1"));
        List<EndpointSlice> update = list();
        AutoHints.Outcome out = AutoHints.assign(shares("zone-a", 0.5, "zone-b", 0.5), create, update, unchanged,
                COPY);
        assertThat(out.problem()).isEqualTo(AutoHints.NO_ZONE);
        assertThat(unchanged).isEmpty();
        assertThat(hints(update).values()).containsOnly("-");
        assertThat(hints(create)).as("hints given before the zoneless endpoint was met are gone")
                .containsExactly(Map.entry("a2", "-"), Map.entry("x1", "-"));
        assertThat(hinted.getEndpoints().get(0).getHints()).as("the cached slice is not touched").isNotNull();
    }

    @Test
    void validHintsOfUnchangedSlicesStayAndStaleOnesAreRewritten() {
        ZoneShares half = shares("zone-a", 0.5, "zone-b", 0.5);
        List<EndpointSlice> unchanged = list(slice("s1", "a1@zone-a->zone-a", "b1@zone-b->zone-b"),
                slice("s2", "a2@zone-a->zone-a", "b2@zone-b->zone-b"));
        List<EndpointSlice> update = list();
        AutoHints.Outcome out = AutoHints.assign(half, list(), update, unchanged, COPY);
        assertThat(out.hintsByZone()).isEqualTo(Map.of("zone-a", 2, "zone-b", 2));
        assertThat(update).isEmpty();
        assertThat(unchanged).hasSize(2);

        // a hint for a zone that has no allocation any more, and an endpoint without hint
        unchanged = list(slice("s1", "a1@zone-a->zone-x", "b1@zone-b->zone-b"),
                slice("s2", "a2@zone-a", "b2@zone-b->zone-b"), slice("s3", "a3@zone-a->zone-a", "b3@zone-b->zone-b", "c3@zone-b!"));
        out = AutoHints.assign(half, list(), update, unchanged, COPY);
        assertThat(unchanged).extracting(s -> s.getMetadata().getName()).containsExactly("s3");
        assertThat(update).extracting(s -> s.getMetadata().getName()).containsExactly("s1", "s2");
        assertThat(hints(update)).containsExactly(Map.entry("a1", "zone-a"), Map.entry("b1", "zone-b"),
                Map.entry("a2", "zone-a"), Map.entry("b2", "zone-b"));
        assertThat(out.hintsByZone()).isEqualTo(Map.of("zone-a", 3, "zone-b", 3));
    }

    @Test
    void eventsAreToldOncePerChangeOfOutcome() {
        AutoHints.Outcome on = new AutoHints.Outcome(Map.of("zone-a", 1, "zone-b", 1), null);
        AutoHints.Outcome oneZone = new AutoHints.Outcome(Map.of(), ZoneShares.ONE_ZONE);
        assertThat(AutoHints.events(Map.of(), Map.of("IPv4", oneZone))).containsExactly(new AutoHints.Event(
                "Warning", "TopologyAwareHintsDisabled", "Nodes only ready in one zone, addressType: IPv4"));
        assertThat(AutoHints.events(Map.of("IPv4", oneZone), Map.of("IPv4", oneZone))).isEmpty();
        assertThat(AutoHints.events(Map.of("IPv4", oneZone), Map.of("IPv4", on))).containsExactly(new AutoHints.Event(
                "Normal", "TopologyAwareHintsEnabled", "Topology Aware Hints has been enabled, addressType: IPv4"));
        assertThat(AutoHints.events(Map.of("IPv4", on), Map.of("IPv4", on))).isEmpty();
        assertThat(AutoHints.events(Map.of("IPv4", on), Map.of())).containsExactly(new AutoHints.Event("Warning",
                "TopologyAwareHintsDisabled", "Topology Aware Hints has been disabled, addressType: IPv4"));
        assertThat(AutoHints.events(Map.of("IPv4", oneZone), Map.of())).isEmpty();
    }
}
