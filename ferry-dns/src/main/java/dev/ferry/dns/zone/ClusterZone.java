package dev.ferry.dns.zone;

import dev.ferry.dns.Authority;
import dev.ferry.dns.records.PodInfo;
import dev.ferry.dns.records.ServiceInfo;
import dev.ferry.dns.records.SliceInfo;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * The cluster zone (Kubernetes DNS schema 1.1.0, CoreDNS plugin/kubernetes with {@code pods verified}): Services,
 * their EndpointSlices and Pods in, DNS answers out.
 *
 * <p>Each mutator rebuilds the names of the one Service it touches ({@link ServiceRecords}), diffs them against that
 * Service's previous contribution and swaps the changed names into the index before it returns; an answer is then a
 * map lookup plus a message build. Mutators are serialized on this object (informer threads of different types may
 * call them concurrently); readers ({@link #answer}, {@link #transfer}, {@link #generation}) never lock and see each
 * name's RRsets whole, though an answer may mix names from before and after a concurrent mutation. A mutator returns
 * whether any answer changed; only then do the generation and the SOA serial (epoch seconds of the change, never
 * decreasing) move.
 *
 * <p>Fixed names: the apex (SOA, NS {@code ns.dns.<zone>}), {@code ns.dns.<zone>} (A/AAAA of the configured
 * nameservers), {@code dns-version.<zone>} (TXT "1.1.0"); {@code svc.<zone>} and {@code pod.<zone>} always exist
 * (NODATA). Verified pod records: {@code <dashed-ip>.<ns>.pod.<zone>} while a pod of that namespace has that IP.
 * Reverse names under in-addr.arpa/ip6.arpa are answered only for addresses a Service claims; for others
 * {@link #answer} returns null so the server can forward them.
 */
public final class ClusterZone implements Authority {
    /** The schema version this zone follows, served at {@code dns-version.<zone>}. */
    public static final String SCHEMA_VERSION = "1.1.0";

    private record Key(String namespace, String name) {
    }

    private final ZoneConfig config;
    private final ZoneNames names;
    private final Clock clock;
    private final NameIndex index;
    private final ReverseIndex reverse;
    private final PodIndex pods;
    private final ZoneAnswers answers;
    private final AtomicLong generation = new AtomicLong();
    private volatile Soas soas;

    // Writer state, guarded by this.
    private final Map<Key, ServiceInfo> services = new HashMap<>();
    private final Map<Key, SliceInfo> slices = new HashMap<>();
    private final Map<Key, Map<String, SliceInfo>> slicesByService = new HashMap<>();
    private final Map<Key, ServiceRecords> built = new HashMap<>();

    public ClusterZone(ZoneConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config);
        this.clock = Objects.requireNonNull(clock);
        this.names = new ZoneNames(config.zone());
        long ttl = config.ttlSeconds();
        this.index = new NameIndex(names.zone);
        this.reverse = new ReverseIndex(ttl);
        this.pods = new PodIndex(index, names, ttl);
        this.soas = Soas.of(names, ttl, clock.instant().getEpochSecond());
        this.answers = new ZoneAnswers(names, index, reverse, () -> soas);

        List<Record> glue = new ArrayList<>();
        for (InetAddress ip : config.nameservers()) {
            glue.add(ip instanceof Inet4Address
                    ? new ARecord(names.nameserver, DClass.IN, ttl, ip)
                    : new AAAARecord(names.nameserver, DClass.IN, ttl, ip));
        }
        index.put(names.zone, new Node(List.of(new NSRecord(names.zone, DClass.IN, ttl, names.nameserver)), glue));
        if (!glue.isEmpty()) {
            index.put(names.nameserver, Node.of(glue));
        }
        index.put(names.dnsVersion, Node.of(List.of(new TXTRecord(names.dnsVersion, DClass.IN, ttl, SCHEMA_VERSION))));
        index.pin(names.svc);
        index.pin(names.pod);
    }

    public ZoneConfig config() {
        return config;
    }

    /** The SOA serial: epoch seconds of the last change (of construction before any). */
    public long serial() {
        return soas.serial();
    }

    /** Adds or replaces a Service; true when answers changed. */
    public synchronized boolean putService(ServiceInfo service) {
        Key key = new Key(service.namespace(), service.name());
        if (service.equals(services.put(key, service))) {
            return false;
        }
        return commit(rebuild(key));
    }

    public synchronized boolean removeService(String namespace, String name) {
        Key key = new Key(namespace, name);
        if (services.remove(key) == null) {
            return false;
        }
        return commit(rebuild(key));
    }

    /**
     * Adds or replaces an EndpointSlice; a slice whose service-name label changed moves to the other Service, and one
     * without the label counts for none. Slices may arrive before their Service.
     */
    public synchronized boolean putSlice(SliceInfo slice) {
        Key key = new Key(slice.namespace(), slice.name());
        SliceInfo previous = slices.put(key, slice);
        if (slice.equals(previous)) {
            return false;
        }
        boolean changed = false;
        if (previous != null && previous.serviceName() != null
                && !previous.serviceName().equals(slice.serviceName())) {
            changed = detach(previous);
        }
        if (slice.serviceName() != null) {
            Key owner = new Key(slice.namespace(), slice.serviceName());
            slicesByService.computeIfAbsent(owner, k -> new TreeMap<>()).put(slice.name(), slice);
            changed |= rebuild(owner);
        }
        return commit(changed);
    }

    public synchronized boolean removeSlice(String namespace, String sliceName) {
        SliceInfo previous = slices.remove(new Key(namespace, sliceName));
        return previous != null && previous.serviceName() != null && commit(detach(previous));
    }

    /** Adds or replaces a Pod (for verified pod records). */
    public synchronized boolean putPod(PodInfo pod) {
        return commit(pods.put(pod));
    }

    public synchronized boolean removePod(String namespace, String name) {
        return commit(pods.remove(namespace, name));
    }

    @Override
    public Message answer(Message query) {
        return answers.answer(query);
    }

    /** SOA, NS and its glue, every other record sorted by owner name (canonical order) then type, SOA again. */
    @Override
    public List<Record> transfer(Name zone) {
        if (!names.zone.equals(zone)) {
            return null;
        }
        Soas s = soas;
        Node apex = index.get(names.zone);
        List<Record> out = new ArrayList<>();
        out.add(s.zone());
        out.addAll(apex.records());
        out.addAll(apex.additional());
        List<Record> rest = new ArrayList<>();
        for (Map.Entry<Name, Node> e : index.view().entrySet()) {
            if (!e.getKey().equals(names.zone) && !e.getKey().equals(names.nameserver)) {
                rest.addAll(e.getValue().records());
            }
        }
        rest.sort(Comparator.comparing(Record::getName).thenComparingInt(Record::getType));
        out.addAll(rest);
        out.add(s.zone());
        return out;
    }

    @Override
    public long generation() {
        return generation.get();
    }

    private boolean detach(SliceInfo slice) {
        Key owner = new Key(slice.namespace(), slice.serviceName());
        Map<String, SliceInfo> group = slicesByService.get(owner);
        if (group == null || group.remove(slice.name()) == null) {
            return false;
        }
        if (group.isEmpty()) {
            slicesByService.remove(owner);
        }
        return rebuild(owner);
    }

    /** Recomputes one Service's names and swaps the difference into the indexes; true when any answer changed. */
    private boolean rebuild(Key key) {
        ServiceInfo service = services.get(key);
        Map<String, SliceInfo> group = slicesByService.get(key);
        ServiceRecords next = service == null
                ? ServiceRecords.NONE
                : ServiceRecords.build(service, group == null ? List.of() : group.values(), names, config.ttlSeconds());
        ServiceRecords previous = built.getOrDefault(key, ServiceRecords.NONE);
        if (next.equals(previous)) {
            return false;
        }
        boolean changed = false;
        for (Map.Entry<Name, Node> e : next.names().entrySet()) {
            if (!e.getValue().equals(previous.names().get(e.getKey()))) {
                changed |= index.put(e.getKey(), e.getValue());
            }
        }
        for (Name name : previous.names().keySet()) {
            if (!next.names().containsKey(name)) {
                changed |= index.remove(name);
            }
        }
        changed |= reverse.update(key, previous.ptrs(), next.ptrs());
        if (next.names().isEmpty() && next.ptrs().isEmpty()) {
            built.remove(key);
        } else {
            built.put(key, next);
        }
        return changed;
    }

    private boolean commit(boolean changed) {
        if (changed) {
            soas = Soas.of(names, config.ttlSeconds(), Math.max(soas.serial(), clock.instant().getEpochSecond()));
            generation.incrementAndGet();
        }
        return changed;
    }
}
