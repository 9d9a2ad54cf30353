package dev.ferry.dns.zone;

import dev.ferry.dns.records.EndpointInfo;
import dev.ferry.dns.records.PortInfo;
import dev.ferry.dns.records.ServiceInfo;
import dev.ferry.dns.records.SliceInfo;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import dev.ferry.api.net.IpAddresses;

/**
 * The names one Service contributes to the zone, from the Service and its EndpointSlices alone (a pure function; the
 * zone diffs two results to update its index). Every name lies in the Service's own subtree
 * {@code <svc>.<ns>.svc.<zone>}, so contributions of different Services never share a name; PTR claims can, and the zone
 * merges them.
 *
 * <ul>
 *   <li>ClusterIP: A/AAAA of the ClusterIPs (no ClusterIP yet: no names at all); SRV at the Service name for every port
 *       and at {@code _<port>._<proto>} for every named port, target the Service name; PTR of each ClusterIP.
 *   <li>Headless: A/AAAA of every ready endpoint address (none: no names, so NXDOMAIN); SRV as above with one record
 *       per endpoint name and port, target the endpoint name.
 *   <li>Both: {@code <hostname>.<svc>...} A/AAAA per ready endpoint (hostname field; unset or not a plain label: the
 *       dashed IP), PTR of each
 *       ready endpoint address to it (CoreDNS answers endpoint names of ClusterIP Services too).
 *   <li>ExternalName: a CNAME to the external name (an IP or an invalid name: nothing).
 * </ul>
 * Ready = the endpoint's ready condition, or any endpoint when the Service publishes not-ready addresses. RRsets are
 * sorted (addresses by value, SRV by target then port) so equal inputs give equal records. SRV priority is 0, weight
 * 100/N (at least 1) for an RRset of N records (CoreDNS backend_lookup.go).
 *
 * @param names the records and additional data by owner name (lower case)
 * @param ptrs the reverse claims
 */
record ServiceRecords(Map<Name, Node> names, List<PtrEntry> ptrs) {

    static final ServiceRecords NONE = new ServiceRecords(Map.of(), List.of());

    static final Comparator<InetAddress> ADDRESS_ORDER = Comparator
            .<InetAddress>comparingInt(a -> a.getAddress().length)
            .thenComparing(InetAddress::getAddress, Arrays::compareUnsigned);

    ServiceRecords {
        names = Map.copyOf(names);
        ptrs = List.copyOf(ptrs);
    }

    static ServiceRecords build(ServiceInfo service, Collection<SliceInfo> slices, ZoneConfig config) {
        return build(service, slices, new ZoneNames(config.zone()), config.ttlSeconds());
    }

    static ServiceRecords build(ServiceInfo service, Collection<SliceInfo> slices, ZoneNames zone, long ttl) {
        Name name = zone.service(service.namespace(), service.name());
        if (name == null) {
            return NONE;
        }
        return switch (service.kind()) {
            case EXTERNAL_NAME -> externalName(service, name, ttl);
            case CLUSTER_IP, HEADLESS -> new Builder(service, name, ttl).build(slices);
        };
    }

    private static ServiceRecords externalName(ServiceInfo service, Name name, long ttl) {
        String text = service.externalName();
        if (text.isEmpty() || IpAddresses.isValid(text)) {
            return NONE;
        }
        Name target;
        try {
            target = Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            return NONE;
        }
        if (target.equals(name)) {
            return NONE;
        }
        return new ServiceRecords(Map.of(name, Node.of(List.of(new CNAMERecord(name, DClass.IN, ttl, target)))),
                List.of());
    }

    /** One SRV record before weighting: the name it is found at, its target and port. */
    private record Srv(Name target, int port) {
    }

    private static final class Builder {
        private final ServiceInfo service;
        private final Name name;
        private final long ttl;
        /** Ready endpoint addresses by endpoint name, both sorted. */
        private final Map<Name, Set<InetAddress>> endpoints = new TreeMap<>();
        /** SRV records (target, port) by owner name; the Service name's set holds every port. */
        private final Map<Name, Set<Srv>> srvs = new LinkedHashMap<>();
        private final List<PtrEntry> ptrs = new ArrayList<>();

        Builder(ServiceInfo service, Name name, long ttl) {
            this.service = service;
            this.name = name;
            this.ttl = ttl;
        }

        ServiceRecords build(Collection<SliceInfo> slices) {
            boolean headless = service.kind() == ServiceInfo.Kind.HEADLESS;
            if (!headless && service.clusterIps().isEmpty()) {
                return NONE;
            }
            for (SliceInfo slice : slices) {
                addSlice(slice, headless);
            }
            Map<Name, Node> names = new LinkedHashMap<>();
            List<InetAddress> serviceAddresses;
            if (headless) {
                Set<InetAddress> all = new TreeSet<>(ADDRESS_ORDER);
                endpoints.values().forEach(all::addAll);
                serviceAddresses = List.copyOf(all);
            } else {
                serviceAddresses = service.clusterIps().stream().sorted(ADDRESS_ORDER).toList();
                for (PortInfo port : service.ports()) {
                    addSrv(port, name);
                }
                for (InetAddress ip : service.clusterIps()) {
                    ptrs.add(new PtrEntry(ip, name, true));
                }
            }
            if (serviceAddresses.isEmpty()) {
                return NONE;
            }
            List<Record> serviceRecords = addresses(name, serviceAddresses);
            for (Map.Entry<Name, Set<InetAddress>> e : endpoints.entrySet()) {
                names.put(e.getKey(), Node.of(addresses(e.getKey(), e.getValue())));
            }
            for (Map.Entry<Name, Set<Srv>> e : srvs.entrySet()) {
                List<Record> srvRecords = srvRecords(e.getKey(), e.getValue());
                List<Record> additional = additional(e.getValue(), serviceRecords);
                if (e.getKey().equals(name)) {
                    names.put(name, Node.concat(additional, serviceRecords, srvRecords));
                } else {
                    names.put(e.getKey(), new Node(srvRecords, additional));
                }
            }
            names.putIfAbsent(name, Node.of(serviceRecords));
            return new ServiceRecords(names, ptrs);
        }

        private void addSlice(SliceInfo slice, boolean headless) {
            for (EndpointInfo endpoint : slice.endpoints()) {
                if (!endpoint.ready() && !service.publishNotReadyAddresses()) {
                    continue;
                }
                for (InetAddress ip : endpoint.addresses()) {
                    Name host = ZoneNames.child(endpoint.hostname(), name);
                    if (host == null) {
                        host = ZoneNames.child(ZoneNames.dashed(ip), name);
                    }
                    if (host == null) {
                        continue;
                    }
                    endpoints.computeIfAbsent(host, h -> new TreeSet<>(ADDRESS_ORDER)).add(ip);
                    ptrs.add(new PtrEntry(ip, host, false));
                    if (headless) {
                        for (PortInfo port : slice.ports()) {
                            addSrv(port, host);
                        }
                    }
                }
            }
        }

        private void addSrv(PortInfo port, Name target) {
            Srv srv = new Srv(target, port.port());
            srvs.computeIfAbsent(name, n -> new TreeSet<>(SRV_ORDER)).add(srv);
            if (port.named()) {
                Name owner = ZoneNames.srv(port.name(), port.protocol(), name);
                if (owner != null) {
                    srvs.computeIfAbsent(owner, n -> new TreeSet<>(SRV_ORDER)).add(srv);
                }
            }
        }

        private List<Record> srvRecords(Name owner, Set<Srv> set) {
            int weight = Math.max(1, 100 / set.size());
            List<Record> out = new ArrayList<>(set.size());
            for (Srv s : set) {
                out.add(new SRVRecord(owner, DClass.IN, ttl, 0, weight, s.port(), s.target()));
            }
            return out;
        }

        /** The A/AAAA of each distinct target, in target order. */
        private List<Record> additional(Set<Srv> set, List<Record> serviceRecords) {
            List<Record> out = new ArrayList<>();
            Name last = null;
            for (Srv s : set) {
                if (s.target().equals(last)) {
                    continue;
                }
                last = s.target();
                if (s.target().equals(name)) {
                    out.addAll(serviceRecords);
                } else {
                    out.addAll(addresses(s.target(), endpoints.get(s.target())));
                }
            }
            return out;
        }

        private List<Record> addresses(Name owner, Collection<InetAddress> ips) {
            List<Record> v4 = new ArrayList<>();
            List<Record> v6 = new ArrayList<>();
            for (InetAddress ip : ips) {
                if (ip instanceof Inet4Address) {
                    v4.add(new ARecord(owner, DClass.IN, ttl, ip));
                } else {
                    v6.add(new AAAARecord(owner, DClass.IN, ttl, ip));
                }
            }
            v4.addAll(v6);
            return v4;
        }
    }

    private static final Comparator<Srv> SRV_ORDER = Comparator.comparing(Srv::target).thenComparingInt(Srv::port);
}
