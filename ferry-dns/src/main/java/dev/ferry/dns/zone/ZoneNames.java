package dev.ferry.dns.zone;

import dev.ferry.api.net.IpAddresses;
import java.net.InetAddress;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.TextParseException;

/**
 * The names of the cluster zone (Kubernetes DNS schema 1.1.0). Every name it makes is lower case; a label that is not a
 * plain label (1..63 of letters, digits, '-' and '_') or a name over 255 bytes gives null, and the caller leaves that
 * record out.
 */
final class ZoneNames {
    final Name zone;
    final Name svc;
    final Name pod;
    final Name dns;
    final Name nameserver;
    final Name hostmaster;
    final Name dnsVersion;

    ZoneNames(Name zone) {
        this.zone = zone.canonicalize();
        this.svc = child("svc", this.zone);
        this.pod = child("pod", this.zone);
        this.dns = child("dns", this.zone);
        this.nameserver = child("ns", this.dns);
        this.hostmaster = child("hostmaster", this.zone);
        this.dnsVersion = child("dns-version", this.zone);
    }

    /** {@code <svc>.<ns>.svc.<zone>}. */
    Name service(String namespace, String name) {
        return child(name, child(namespace, svc));
    }

    /** {@code <ip-with-dashes>.<ns>.pod.<zone>}. */
    Name pod(String namespace, InetAddress ip) {
        return child(dashed(ip), child(namespace, pod));
    }

    /** {@code _<port>._<proto>.<parent>}, proto lower case. */
    static Name srv(String portName, String protocol, Name parent) {
        return child("_" + portName, child("_" + protocol.toLowerCase(Locale.ROOT), parent));
    }

    /** {@code <label>.<parent>}, lower case; null when the label is not a plain DNS label or the name too long. */
    static Name child(String label, Name parent) {
        if (parent == null || !plainLabel(label)) {
            return null;
        }
        try {
            return Name.concatenate(Name.fromString(label), parent).canonicalize();
        } catch (TextParseException | NameTooLongException e) {
            return null;
        }
    }

    private static boolean plainLabel(String label) {
        if (label == null || label.isEmpty() || label.length() > 63) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The address as CoreDNS spells it in a label: {@code 10-0-0-1}, {@code fd00--1} (RFC 5952 text, ':' → '-'). */
    static String dashed(InetAddress ip) {
        return IpAddresses.format(ip.getAddress()).replace('.', '-').replace(':', '-');
    }
}
