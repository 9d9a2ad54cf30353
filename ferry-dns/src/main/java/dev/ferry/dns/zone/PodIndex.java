package dev.ferry.dns.zone;

import dev.ferry.dns.records.PodInfo;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Verified pod records (CoreDNS {@code pods verified}): {@code <dashed-ip>.<ns>.pod.<zone>} exists while some pod of
 * that namespace has that IP. Several pods may share an IP (hostNetwork pods share their node's), so names are
 * reference-counted. Writes must be serialized by the caller.
 */
final class PodIndex {
    private record Key(String namespace, String name) {
    }

    private final NameIndex index;
    private final ZoneNames zone;
    private final long ttl;
    private final Map<Key, PodInfo> pods = new HashMap<>();
    private final Map<Name, Integer> refs = new HashMap<>();

    PodIndex(NameIndex index, ZoneNames zone, long ttl) {
        this.index = index;
        this.zone = zone;
        this.ttl = ttl;
    }

    /** True when some pod name appeared or vanished. */
    boolean put(PodInfo pod) {
        PodInfo previous = pods.put(new Key(pod.namespace(), pod.name()), pod);
        if (pod.equals(previous)) {
            return false;
        }
        return apply(previous, pod);
    }

    boolean remove(String namespace, String name) {
        PodInfo previous = pods.remove(new Key(namespace, name));
        return previous != null && apply(previous, null);
    }

    private boolean apply(PodInfo previous, PodInfo next) {
        Map<Name, InetAddress> before = names(previous);
        Map<Name, InetAddress> after = names(next);
        boolean changed = false;
        for (Map.Entry<Name, InetAddress> e : after.entrySet()) {
            if (!before.containsKey(e.getKey()) && refs.merge(e.getKey(), 1, Integer::sum) == 1) {
                changed |= index.put(e.getKey(), Node.of(List.of(record(e.getKey(), e.getValue()))));
            }
        }
        for (Name name : before.keySet()) {
            if (!after.containsKey(name) && refs.merge(name, -1, Integer::sum) <= 0) {
                refs.remove(name);
                changed |= index.remove(name);
            }
        }
        return changed;
    }

    private Map<Name, InetAddress> names(PodInfo pod) {
        Map<Name, InetAddress> out = new LinkedHashMap<>();
        if (pod != null) {
            for (InetAddress ip : pod.ips()) {
                Name name = zone.pod(pod.namespace(), ip);
                if (name != null) {
                    out.put(name, ip);
                }
            }
        }
        return out;
    }

    private Record record(Name name, InetAddress ip) {
        return ip instanceof Inet4Address
                ? new ARecord(name, DClass.IN, ttl, ip)
                : new AAAARecord(name, DClass.IN, ttl, ip);
    }
}
