package dev.ferry.dns.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a resolv.conf(5) says: the nameservers (IP literals, in order; others skipped), the search list ({@code domain}
 * and {@code search} replace each other, the last wins, as in glibc) and the options words.
 */
public record ResolvConf(List<InetAddress> nameservers, List<String> search, List<String> options) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?");

    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        search = List.copyOf(search);
        options = List.copyOf(options);
    }

    /** Parses resolv.conf text. Pure: no name lookups. */
    public static ResolvConf parse(String text) {
        List<InetAddress> servers = new ArrayList<>();
        List<String> search = List.of();
        List<String> options = new ArrayList<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] words = line.split("\\s+");
            List<String> args = new ArrayList<>();
            for (int i = 1; i < words.length; i++) {
                if (words[i].startsWith("#") || words[i].startsWith(";")) {
                    break;
                }
                args.add(words[i]);
            }
            switch (words[0]) {
                case "nameserver" -> {
                    if (!args.isEmpty()) {
                        InetAddress a = literal(args.getFirst());
                        if (a != null) {
                            servers.add(a);
                        }
                    }
                }
                case "search" -> search = List.copyOf(args);
                case "domain" -> search = args.isEmpty() ? List.of() : List.of(args.getFirst());
                case "options" -> options.addAll(args);
                default -> { }
            }
        }
        return new ResolvConf(servers, search, options);
    }

    public static ResolvConf read(Path path) throws IOException {
        return parse(Files.readString(path));
    }

    /** The nameservers on port 53. */
    public List<InetSocketAddress> upstreams() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : nameservers) {
            out.add(new InetSocketAddress(a, 53));
        }
        return out;
    }

    private static InetAddress literal(String s) {
        if (!IPV4.matcher(s).matches() && !IPV6.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s); // an IP literal: no lookup
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
