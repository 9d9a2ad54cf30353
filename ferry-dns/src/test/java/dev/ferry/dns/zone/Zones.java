package dev.ferry.dns.zone;

import dev.ferry.api.net.IpAddresses;
import dev.ferry.dns.records.EndpointInfo;
import dev.ferry.dns.records.PodInfo;
import dev.ferry.dns.records.PortInfo;
import dev.ferry.dns.records.ServiceInfo;
import dev.ferry.dns.records.SliceInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/** Test data builders and a query helper that renders replies as zone-file text. */
final class Zones {
    static final long EPOCH = 1_700_000_000L;

    private Zones() {
    }

    /** A reply as text: rcode name and each section's records, whitespace collapsed. */
    record Reply(String rcode, List<String> answer, List<String> authority, List<String> additional) {
    }

    static Reply ask(ClusterZone zone, String name, int type) {
        Message query = query(name, type);
        Message response = zone.answer(query);
        if (response == null) {
            return null;
        }
        return new Reply(Rcode.string(response.getRcode()), text(response.getSection(Section.ANSWER)),
                text(response.getSection(Section.AUTHORITY)), text(response.getSection(Section.ADDITIONAL)));
    }

    static Message query(String name, int type) {
        return Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
    }

    static List<String> text(List<Record> records) {
        return records.stream().map(Zones::text).toList();
    }

    /** Zone-file text, whitespace collapsed; IPv6 addresses in RFC 5952 form, TXT strings quoted. */
    static String text(Record record) {
        if (record instanceof AAAARecord aaaa) {
            return record.getName() + " " + record.getTTL() + " IN AAAA "
                    + IpAddresses.format(aaaa.getAddress().getAddress());
        }
        if (record instanceof TXTRecord txt) {
            return record.getName() + " " + record.getTTL() + " IN TXT \"" + String.join("\" \"", txt.getStrings())
                    + "\"";
        }
        return record.toString().replaceAll("\\s+", " ");
    }

    static Name name(String text) {
        try {
            return Name.fromString(text);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress ip(String text) {
        try {
            return InetAddress.getByAddress(IpAddresses.parse(text));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static List<InetAddress> ips(String... texts) {
        return Arrays.stream(texts).map(Zones::ip).toList();
    }

    static PortInfo port(String name, String protocol, int port) {
        return new PortInfo(name, protocol, port);
    }

    static ServiceInfo clusterIp(String ns, String name, List<String> ips, PortInfo... ports) {
        return new ServiceInfo(ns, name, ServiceInfo.Kind.CLUSTER_IP, ips(ips.toArray(String[]::new)), "",
                List.of(ports), false);
    }

    static ServiceInfo headless(String ns, String name, PortInfo... ports) {
        return new ServiceInfo(ns, name, ServiceInfo.Kind.HEADLESS, List.of(), "", List.of(ports), false);
    }

    static ServiceInfo publishingNotReady(ServiceInfo s) {
        return new ServiceInfo(s.namespace(), s.name(), s.kind(), s.clusterIps(), s.externalName(), s.ports(), true);
    }

    static ServiceInfo external(String ns, String name, String target) {
        return new ServiceInfo(ns, name, ServiceInfo.Kind.EXTERNAL_NAME, List.of(), target, List.of(), false);
    }

    static EndpointInfo ready(String ip, String hostname) {
        return new EndpointInfo(ips(ip), hostname, true, "");
    }

    static EndpointInfo notReady(String ip, String hostname) {
        return new EndpointInfo(ips(ip), hostname, false, "");
    }

    static SliceInfo slice(String ns, String name, String service, List<PortInfo> ports, EndpointInfo... endpoints) {
        String type = endpoints.length > 0 && endpoints[0].addresses().getFirst().getAddress().length == 16 ? "IPv6"
                : "IPv4";
        return new SliceInfo(ns, name, service, type, List.of(endpoints), ports);
    }

    static PodInfo pod(String ns, String name, String... ips) {
        return new PodInfo(ns, name, ips(ips));
    }

    static Clock fixedClock() {
        return Clock.fixed(Instant.ofEpochSecond(EPOCH), ZoneOffset.UTC);
    }
}
