package dev.ferry.api.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The three settings of a resolv.conf(5) that a pod's DNS is made of, in order, and that a DNS server forwards to.
 * Immutable. Shared by the node agent (pods' files) and the cluster DNS (the host's upstream resolvers).
 *
 * <p>{@link #parse} reads a file as the kubelet's {@code parseResolvConf} does: {@code nameserver} lines accumulate
 * (a line without an address is ignored), the last {@code search} line wins (a trailing dot of each domain is
 * dropped, so {@code foo.} and {@code foo} count once), the last {@code options} line wins; lines starting with
 * {@code #} and any other keyword are ignored; text after the first value of a {@code nameserver} line is ignored.
 *
 * <p>{@link #render} writes the file as containerd writes a sandbox's: {@code search} first, then one
 * {@code nameserver} line per server, then {@code options}; an empty list gives no line.
 */
public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {
    public static final ResolvConf EMPTY = new ResolvConf(List.of(), List.of(), List.of());

    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }

    public static ResolvConf parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = List.of();
        List<String> options = List.of();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            switch (fields[0]) {
                case "nameserver" -> {
                    if (fields.length >= 2) {
                        nameservers.add(fields[1]);
                    }
                }
                case "search" -> {
                    List<String> s = new ArrayList<>();
                    for (int i = 1; i < fields.length; i++) {
                        s.add(fields[i].endsWith(".") ? fields[i].substring(0, fields[i].length() - 1) : fields[i]);
                    }
                    searches = s;
                }
                case "options" -> options = List.of(fields).subList(1, fields.length);
                default -> {
                    // domain, sortlist, comments after a keyword ...: not part of a pod's DNS
                }
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }

    /** {@link #parse} of the file at {@code path}. */
    public static ResolvConf read(Path path) throws IOException {
        return parse(Files.readString(path));
    }

    /** The nameservers that are IP address literals, on port 53, in order; no name is looked up. */
    public List<InetSocketAddress> upstreams() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String server : nameservers) {
            byte[] ip = IpAddresses.parse(server);
            if (ip != null) {
                try {
                    out.add(new InetSocketAddress(InetAddress.getByAddress(ip), 53));
                } catch (UnknownHostException impossible) {
                    throw new AssertionError(impossible);
                }
            }
        }
        return out;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        if (!searches.isEmpty()) {
            out.append("search ").append(String.join(" ", searches)).append('\n');
        }
        for (String server : nameservers) {
            out.append("nameserver ").append(server).append('\n');
        }
        if (!options.isEmpty()) {
            out.append("options ").append(String.join(" ", options)).append('\n');
        }
        return out.toString();
    }
}
