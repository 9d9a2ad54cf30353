package dev.ferry.dns.records;

import dev.ferry.api.net.IpAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** IP text from API objects to addresses, never resolving names. */
final class Ips {
    private Ips() {
    }

    /** The address of {@code text}, or null when it is not an IP literal. */
    static InetAddress parse(String text) {
        byte[] bytes = IpAddresses.parse(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    /** The IP literals among {@code texts}, in order, without duplicates; other strings are dropped. */
    static List<InetAddress> parseAll(Collection<String> texts) {
        List<InetAddress> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            InetAddress ip = parse(text);
            if (ip != null && !out.contains(ip)) {
                out.add(ip);
            }
        }
        return List.copyOf(out);
    }
}
