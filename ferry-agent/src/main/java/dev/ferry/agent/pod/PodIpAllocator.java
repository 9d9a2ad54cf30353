package dev.ferry.agent.pod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Pod IPs from the node's pod CIDR (IPv4): host addresses from .2 (.1 is the gateway by convention, .0 the network)
 * to the last before the broadcast address, e.g. .2–.254 of a /24. Each pod (by uid) keeps its IP until released;
 * the assignment is persisted in one file (rewritten atomically on every change), so an agent restart keeps IPs.
 * Thread-safe.
 */
public final class PodIpAllocator {
    private final long first;
    private final long last;
    private final Path file;
    private final Map<String, String> byPod = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();
    private long next;

    /** @param file where assignments persist ("uid ip" lines); read if present */
    public PodIpAllocator(String cidr, Path file) {
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        int bits = Integer.parseInt(parts[1]);
        if (bits < 8 || bits > 30) {
            throw new IllegalArgumentException("pod CIDR prefix must be /8 to /30: " + cidr);
        }
        long base = toLong(parts[0]) & (0xffffffffL << (32 - bits)) & 0xffffffffL;
        long size = 1L << (32 - bits);
        this.first = base + 2;
        this.last = base + size - 2;
        this.next = first;
        this.file = file;
        load();
    }

    /** The IP of {@code podUid}, assigning a free one on first call. */
    public synchronized String allocate(String podUid) {
        String ip = byPod.get(podUid);
        if (ip != null) {
            return ip;
        }
        long span = last - first + 1;
        for (long i = 0; i < span; i++) {
            long candidate = first + (next - first + i) % span;
            String s = toString(candidate);
            if (!used.contains(s)) {
                next = candidate + 1 > last ? first : candidate + 1;
                byPod.put(podUid, s);
                used.add(s);
                save();
                return s;
            }
        }
        throw new IllegalStateException("no free pod IP left in " + toString(first) + "-" + toString(last));
    }

    /** Records that {@code podUid} has {@code ip} (an adopted container's); false if another pod holds it. */
    public synchronized boolean claim(String podUid, String ip) {
        String current = byPod.get(podUid);
        if (ip.equals(current)) {
            return true;
        }
        if (used.contains(ip)) {
            return false;
        }
        if (current != null) {
            used.remove(current);
        }
        byPod.put(podUid, ip);
        used.add(ip);
        save();
        return true;
    }

    /** The IP of {@code podUid}, or null. */
    public synchronized String get(String podUid) {
        return byPod.get(podUid);
    }

    public synchronized void release(String podUid) {
        String ip = byPod.remove(podUid);
        if (ip != null) {
            used.remove(ip);
            save();
        }
    }

    /** Releases every IP whose pod is not in {@code live}. */
    public synchronized void retain(Set<String> live) {
        boolean changed = byPod.entrySet().removeIf(e -> {
            if (!live.contains(e.getKey())) {
                used.remove(e.getValue());
                return true;
            }
            return false;
        });
        if (changed) {
            save();
        }
    }

    public synchronized Map<String, String> assignments() {
        return Map.copyOf(byPod);
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.strip().split("\\s+");
                if (f.length == 2) {
                    long ip = toLong(f[1]);
                    if (ip >= first && ip <= last && !used.contains(f[1])) {
                        byPod.put(f[0], f[1]);
                        used.add(f[1]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void save() {
        StringBuilder sb = new StringBuilder();
        byPod.forEach((uid, ip) -> sb.append(uid).append(' ').append(ip).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static long toLong(String ip) {
        String[] o = ip.split("\\.");
        if (o.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        long v = 0;
        for (String s : o) {
            int b = Integer.parseInt(s);
            if (b < 0 || b > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            v = v << 8 | b;
        }
        return v;
    }

    static String toString(long v) {
        return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
    }
}
