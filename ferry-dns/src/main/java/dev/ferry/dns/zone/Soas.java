package dev.ferry.dns.zone;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/**
 * The SOA records of one zone version (CoreDNS backend_lookup.go SOA): {@code ns.dns.<zone>. hostmaster.<zone>.
 * <serial> 7200 1800 86400 <ttl>}, TTL the zone TTL. Negative answers for reverse names carry the same data owned by
 * {@code in-addr.arpa.} or {@code ip6.arpa.}.
 */
record Soas(long serial, SOARecord zone, SOARecord inAddrArpa, SOARecord ip6Arpa) {

    static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");
    static final Name IP6_ARPA = Name.fromConstantString("ip6.arpa.");

    static Soas of(ZoneNames names, long ttl, long serial) {
        long s = serial & 0xFFFF_FFFFL;
        return new Soas(s, soa(names.zone, names, ttl, s), soa(IN_ADDR_ARPA, names, ttl, s), soa(IP6_ARPA, names, ttl, s));
    }

    private static SOARecord soa(Name owner, ZoneNames names, long ttl, long serial) {
        return new SOARecord(owner, DClass.IN, ttl, names.nameserver, names.hostmaster, serial, 7200, 1800, 86400, ttl);
    }
}
