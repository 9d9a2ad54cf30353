package dev.ferry.dns.zone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;

/**
 * PTR records under in-addr.arpa and ip6.arpa, merged from the claims of every Service (CoreDNS reverse.go): when a
 * ClusterIP claims the address, only ClusterIP claims answer; otherwise every endpoint claim does, so a pod behind
 * two Services has two PTRs. Only addresses somebody claims have a name here. Readers never lock; writes must be
 * serialized by the caller.
 */
final class ReverseIndex {
    private final long ttl;
    private final ConcurrentHashMap<Name, Node> nodes = new ConcurrentHashMap<>();
    /** Writer-side: the claims on each reverse name, by claimant. */
    private final Map<Name, Map<Object, List<PtrEntry>>> claims = new HashMap<>();

    ReverseIndex(long ttl) {
        this.ttl = ttl;
    }

    Node get(Name name) {
        return nodes.get(name);
    }

    /** Replaces {@code owner}'s claims {@code previous} by {@code next}; true when some PTR RRset changed. */
    boolean update(Object owner, List<PtrEntry> previous, List<PtrEntry> next) {
        if (previous.equals(next)) {
            return false;
        }
        Map<Name, List<PtrEntry>> before = byName(previous);
        Map<Name, List<PtrEntry>> after = byName(next);
        Map<Name, Boolean> touched = new LinkedHashMap<>();
        before.keySet().forEach(n -> touched.put(n, true));
        after.keySet().forEach(n -> touched.put(n, true));
        boolean changed = false;
        for (Name name : touched.keySet()) {
            List<PtrEntry> mine = after.get(name);
            if (mine != null && mine.equals(before.get(name))) {
                continue;
            }
            Map<Object, List<PtrEntry>> all = claims.computeIfAbsent(name, n -> new LinkedHashMap<>());
            if (mine == null) {
                all.remove(owner);
            } else {
                all.put(owner, mine);
            }
            if (all.isEmpty()) {
                claims.remove(name);
                changed |= nodes.remove(name) != null;
            } else {
                Node node = node(name, all.values());
                changed |= !node.equals(nodes.put(name, node));
            }
        }
        return changed;
    }

    private Node node(Name name, Collection<List<PtrEntry>> all) {
        boolean anyClusterIp = all.stream().flatMap(List::stream).anyMatch(PtrEntry::clusterIp);
        TreeSet<Name> targets = new TreeSet<>();
        for (List<PtrEntry> entries : all) {
            for (PtrEntry e : entries) {
                if (e.clusterIp() || !anyClusterIp) {
                    targets.add(e.target());
                }
            }
        }
        List<Record> records = new ArrayList<>(targets.size());
        for (Name target : targets) {
            records.add(new PTRRecord(name, DClass.IN, ttl, target));
        }
        return Node.of(records);
    }

    private static Map<Name, List<PtrEntry>> byName(List<PtrEntry> entries) {
        Map<Name, List<PtrEntry>> out = new LinkedHashMap<>();
        for (PtrEntry e : entries) {
            out.computeIfAbsent(ReverseMap.fromAddress(e.ip()), n -> new ArrayList<>()).add(e);
        }
        return out;
    }
}
