package dev.ferry.controllers.endpointslice;

import dev.ferry.controllers.endpointslice.ZoneShares.Allocation;
import dev.ferry.controllers.endpointslice.ZoneShares.Allocations;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointHints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Zone hints for a Service annotated {@code service.kubernetes.io/topology-mode: Auto} (upstream's TopologyCache
 * .AddHints, KEP-2433): each ready endpoint is hinted for one zone, so that each zone gets endpoints in proportion to
 * its share of the cluster's CPU ({@link ZoneShares}), no zone more than 20 % short of its share. An endpoint is hinted
 * for its own zone first; zones above their share then give endpoints to zones below it. Slices whose hints are still
 * a valid allocation stay as they are, so hints do not churn. When no such allocation exists (see
 * {@link ZoneShares#allocate}), an endpoint has no zone, or no zone gets a hint, every hint is removed.
 *
 * <p>Works on one address type's slices of one sync: those to create and update belong to the caller and are changed
 * in place; an unchanged slice that needs new hints is copied (with {@code copy}) and moved to the updates.
 */
final class AutoHints {
    static final String NO_ZONE = "One or more endpoints do not have a zone specified";
    static final String NO_HINTS_FOR_ZONES = "No hints allocated for zones";
    static final String ENABLED = "Topology Aware Hints has been enabled";
    static final String DISABLED = "Topology Aware Hints has been disabled";

    /**
     * What {@link #assign} did: hinted endpoints per zone, or why hints are off (then none are left).
     *
     * @param hintsByZone zone → endpoints hinted for it; empty when hints are off
     * @param problem why hints are off, or null
     */
    record Outcome(Map<String, Integer> hintsByZone, String problem) {
        Outcome {
            hintsByZone = Map.copyOf(hintsByZone);
        }

        boolean enabled() {
            return problem == null;
        }
    }

    /** An event to record on the Service (upstream's EventBuilder). */
    record Event(String type, String reason, String message) {
    }

    private AutoHints() {
    }

    /**
     * The events for a Service whose outcomes per address type went from {@code before} to {@code now} (either
     * empty when the Service did not or does not ask for Auto): Normal TopologyAwareHintsEnabled when hints come on,
     * Warning TopologyAwareHintsDisabled with the reason when they go off or the reason changes, and when the
     * annotation is gone. Upstream repeats the warning at every sync; here it is told once per change.
     */
    static List<Event> events(Map<String, Outcome> before, Map<String, Outcome> now) {
        List<Event> out = new ArrayList<>();
        for (Map.Entry<String, Outcome> e : now.entrySet()) {
            Outcome was = before.get(e.getKey());
            Outcome is = e.getValue();
            if (is.enabled() && (was == null || !was.enabled())) {
                out.add(new Event("Normal", "TopologyAwareHintsEnabled", withAddressType(ENABLED, e.getKey())));
            } else if (!is.enabled() && (was == null || !is.problem().equals(was.problem()))) {
                out.add(new Event("Warning", "TopologyAwareHintsDisabled", withAddressType(is.problem(), e.getKey())));
            }
        }
        for (Map.Entry<String, Outcome> e : before.entrySet()) {
            if (e.getValue().enabled() && !now.containsKey(e.getKey())) {
                out.add(new Event("Warning", "TopologyAwareHintsDisabled", withAddressType(DISABLED, e.getKey())));
            }
        }
        return out;
    }

    private static String withAddressType(String message, String addressType) {
        return message + ", addressType: " + addressType;
    }

    static Outcome assign(ZoneShares shares, List<EndpointSlice> toCreate, List<EndpointSlice> toUpdate,
            List<EndpointSlice> unchanged, UnaryOperator<EndpointSlice> copy) {
        int ready = 0;
        for (List<EndpointSlice> slices : List.of(toCreate, toUpdate, unchanged)) {
            for (EndpointSlice s : slices) {
                for (Endpoint ep : s.getEndpoints()) {
                    ready += ready(ep) ? 1 : 0;
                }
            }
        }
        Allocations allocations = shares.allocate(ready);
        if (allocations.problem() != null) {
            return remove(allocations.problem(), toCreate, toUpdate, unchanged, copy);
        }
        Map<String, Allocation> byZone = allocations.byZone();

        // unchanged slices whose hints still fit the allocations keep them; others are rewritten
        Map<String, Integer> hinted = new TreeMap<>();
        for (Iterator<EndpointSlice> it = unchanged.iterator(); it.hasNext(); ) {
            EndpointSlice s = it.next();
            Map<String, Integer> counts = hintsByZone(s, hinted, byZone);
            if (counts == null) {
                it.remove();
                toUpdate.add(copy.apply(s));
            } else {
                counts.forEach((zone, n) -> hinted.merge(zone, n, Integer::sum));
            }
        }

        List<EndpointSlice> allocatable = new ArrayList<>(toCreate);
        allocatable.addAll(toUpdate);
        // each ready endpoint to its own zone first
        for (EndpointSlice s : allocatable) {
            for (Endpoint ep : s.getEndpoints()) {
                if (!ready(ep)) {
                    ep.setHints(null);
                    continue;
                }
                if (ep.getZone() == null || ep.getZone().isEmpty()) {
                    return remove(NO_ZONE, toCreate, toUpdate, unchanged, copy);
                }
                hinted.merge(ep.getZone(), 1, Integer::sum);
                ep.setHints(forZone(ep.getZone()));
            }
        }
        // then from zones above their share to zones below it
        Map<String, Integer> giving = new TreeMap<>();
        Map<String, Integer> receiving = new TreeMap<>();
        givingAndReceiving(byZone, hinted, giving, receiving);
        redistribute(allocatable, giving, receiving, hinted);

        if (hinted.isEmpty()) {
            return remove(NO_HINTS_FOR_ZONES, toCreate, toUpdate, unchanged, copy);
        }
        return new Outcome(hinted, null);
    }

    /** Removes every hint: from the slices to write, and from unchanged ones that have any (moved to the updates). */
    private static Outcome remove(String problem, List<EndpointSlice> toCreate, List<EndpointSlice> toUpdate,
            List<EndpointSlice> unchanged, UnaryOperator<EndpointSlice> copy) {
        TrafficHints none = TrafficHints.forDistribution(null);
        toCreate.forEach(none::apply);
        toUpdate.forEach(none::apply);
        for (Iterator<EndpointSlice> it = unchanged.iterator(); it.hasNext(); ) {
            EndpointSlice s = it.next();
            if (none.needsUpdate(s)) {
                it.remove();
                EndpointSlice c = copy.apply(s);
                none.apply(c);
                toUpdate.add(c);
            }
        }
        return new Outcome(Map.of(), problem);
    }

    /**
     * The hints of {@code slice}'s ready endpoints per zone, or null when they must be rewritten: a ready endpoint
     * has no zone hint, a hint names a zone without an allocation, or a zone would exceed its maximum together with
     * {@code hintedBefore} (upstream's getHintsByZone).
     */
    private static Map<String, Integer> hintsByZone(EndpointSlice slice, Map<String, Integer> hintedBefore,
            Map<String, Allocation> allocations) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Endpoint ep : slice.getEndpoints()) {
            if (!ready(ep)) {
                continue;
            }
            if (ep.getHints() == null || ep.getHints().getForZones() == null
                    || ep.getHints().getForZones().isEmpty()) {
                return null;
            }
            for (ForZone z : ep.getHints().getForZones()) {
                if (!allocations.containsKey(z.getName())) {
                    return null;
                }
                counts.merge(z.getName(), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() + hintedBefore.getOrDefault(e.getKey(), 0) > allocations.get(e.getKey()).maximum()) {
                return null;
            }
        }
        return counts;
    }

    /**
     * How many endpoints each zone gives ({@code giving}) and takes ({@code receiving}) to move the hints towards
     * the desired allocation: whole endpoints, most needed first, until less than half a one is left to move
     * (upstream's getGivingAndReceivingZones).
     */
    private static void givingAndReceiving(Map<String, Allocation> allocations, Map<String, Integer> hinted,
            Map<String, Integer> giving, Map<String, Integer> receiving) {
        Map<String, Double> surplus = new TreeMap<>();
        Map<String, Double> deficit = new TreeMap<>();
        for (Map.Entry<String, Allocation> e : allocations.entrySet()) {
            double have = hinted.getOrDefault(e.getKey(), 0);
            double target = e.getValue().desired();
            if (have > target) {
                surplus.put(e.getKey(), have - target);
            } else if (have < target) {
                deficit.put(e.getKey(), target - have);
            }
        }
        while (true) {
            Map.Entry<String, Double> give = most(surplus);
            Map.Entry<String, Double> take = most(deficit);
            if (give == null || take == null || (give.getValue() < 1.0 && take.getValue() < 1.0)
                    || give.getValue() < 0.5 || take.getValue() < 0.5) {
                return;
            }
            giving.merge(give.getKey(), 1, Integer::sum);
            surplus.merge(give.getKey(), -1.0, Double::sum);
            receiving.merge(take.getKey(), 1, Integer::sum);
            deficit.merge(take.getKey(), -1.0, Double::sum);
        }
    }

    /** The entry with the greatest positive value (the first of equals, in zone order), or null. */
    private static Map.Entry<String, Double> most(Map<String, Double> values) {
        Map.Entry<String, Double> best = null;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getValue() > 0 && (best == null || e.getValue() > best.getValue())) {
                best = e;
            }
        }
        return best;
    }

    /** Re-hints endpoints of giving zones for receiving zones, one by one (upstream's redistributeHints). */
    private static void redistribute(List<EndpointSlice> slices, Map<String, Integer> giving,
            Map<String, Integer> receiving, Map<String, Integer> hinted) {
        for (EndpointSlice s : slices) {
            for (Endpoint ep : s.getEndpoints()) {
                if (!ready(ep)) {
                    continue;
                }
                if (giving.isEmpty() || receiving.isEmpty()) {
                    return;
                }
                String from = ep.getZone();
                if (!giving.containsKey(from)) {
                    continue;
                }
                String to = receiving.keySet().iterator().next();
                ep.setHints(forZone(to));
                decrement(giving, from);
                decrement(receiving, to);
                hinted.merge(to, 1, Integer::sum);
                hinted.merge(from, -1, Integer::sum);
            }
        }
    }

    private static void decrement(Map<String, Integer> counts, String key) {
        if (counts.merge(key, -1, Integer::sum) == 0) {
            counts.remove(key);
        }
    }

    private static EndpointHints forZone(String zone) {
        return new EndpointHints(null, List.of(new ForZone(zone)));
    }

    private static boolean ready(Endpoint ep) {
        return ep.getConditions() != null && Boolean.TRUE.equals(ep.getConditions().getReady());
    }
}
