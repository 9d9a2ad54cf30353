package dev.ferry.dns.zone;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/**
 * The zone's names: a concurrent map from name to {@link Node}, looked up case-insensitively (dnsjava names compare
 * ignoring case). A name is present iff it owns records or a present name lies below it (an empty non-terminal), so a
 * miss is NXDOMAIN and an empty node NODATA. Readers never lock; writes must be serialized by the caller, which also
 * keeps the per-name counts of owning descendants behind the empty non-terminals.
 */
final class NameIndex {
    private final Name apex;
    private final ConcurrentHashMap<Name, Node> nodes = new ConcurrentHashMap<>();
    /** Writer-side: how many record-owning names (and pins) lie strictly below each name of the zone. */
    private final Map<Name, Integer> below = new HashMap<>();

    NameIndex(Name apex) {
        this.apex = apex;
    }

    Node get(Name name) {
        return nodes.get(name);
    }

    /** The live map, for zone transfers (weakly consistent while writes go on). */
    Map<Name, Node> view() {
        return java.util.Collections.unmodifiableMap(nodes);
    }

    /** Sets {@code name}'s records ({@code node} must own some); false when they were already these. */
    boolean put(Name name, Node node) {
        Node previous = nodes.put(name, node);
        if (previous == null || previous.emptyNonTerminal()) {
            addAncestors(name);
        }
        return !node.equals(previous);
    }

    /** Removes {@code name}'s records; the name stays as an empty non-terminal while names below it exist. */
    boolean remove(Name name) {
        Node previous = nodes.get(name);
        if (previous == null || previous.emptyNonTerminal()) {
            return false;
        }
        if (below.containsKey(name)) {
            nodes.put(name, Node.EMPTY_NON_TERMINAL);
        } else {
            nodes.remove(name);
        }
        removeAncestors(name);
        return true;
    }

    /** Makes {@code name} exist for good, as an empty non-terminal unless it owns records. */
    void pin(Name name) {
        below.merge(name, 1, Integer::sum);
        nodes.putIfAbsent(name, Node.EMPTY_NON_TERMINAL);
    }

    private void addAncestors(Name name) {
        for (int strip = 1; name.labels() - strip > apex.labels(); strip++) {
            Name ancestor = new Name(name, strip);
            below.merge(ancestor, 1, Integer::sum);
            nodes.putIfAbsent(ancestor, Node.EMPTY_NON_TERMINAL);
        }
    }

    private void removeAncestors(Name name) {
        for (int strip = 1; name.labels() - strip > apex.labels(); strip++) {
            Name ancestor = new Name(name, strip);
            Integer left = below.merge(ancestor, -1, Integer::sum);
            if (left != null && left <= 0) {
                below.remove(ancestor);
                nodes.remove(ancestor, Node.EMPTY_NON_TERMINAL);
            }
        }
    }
}
