package dev.ferry.agent.pod;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Pod IPs from the node's pod CIDR (IPv4): host addresses from .2 (.1 is the gateway by convention, .0 the network)
 * to the last before the broadcast address, e.g. .2–.254 of a /24. Each pod (by uid) keeps its IP until released.
 * <p>
 * Persistence is O(1) per change: the directory holds one file per assigned IP (name = the IP, content = the pod uid),
 * written to a temp file and atomically moved into place, deleted on release; a new instance lists the directory, so
 * an agent restart keeps IPs. A crash leaves at worst a stray temp file (ignored and removed on load) or, mid-{@link
 * #claim}, a pod with two files (one is kept, the other removed on load). The former single-file format ("uid ip"
 * lines at the directory's path) is migrated on load. Thread-safe.
 */
public final class PodIpAllocator {
    private final long first;
    private final long last;
    private final Path dir;
    private final Map<String, String> byPod = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();
    private long next;

    /** @param dir where assignments persist (one file per IP); read if present, created when needed */
    public PodIpAllocator(String cidr, Path dir) {
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
        this.dir = dir;
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
                write(s, podUid);
                byPod.put(podUid, s);
                used.add(s);
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
        write(ip, podUid);
        if (current != null) {
            used.remove(current);
            delete(current);
        }
        byPod.put(podUid, ip);
        used.add(ip);
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
            delete(ip);
        }
    }

    /** Releases every IP whose pod is not in {@code live}. */
    public synchronized void retain(Set<String> live) {
        byPod.entrySet().removeIf(e -> {
            if (!live.contains(e.getKey())) {
                used.remove(e.getValue());
                delete(e.getValue());
                return true;
            }
            return false;
        });
    }

    public synchronized Map<String, String> assignments() {
        return Map.copyOf(byPod);
    }

    private void load() {
        migrate();
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        for (Path entry : entries) {
            String ip = entry.getFileName().toString();
            if (!isAddress(ip)) {
                deleteQuietly(entry); // a temp file left by a crash
                continue;
            }
            String uid;
            try {
                uid = Files.readString(entry, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + entry, e);
            }
            long v = toLong(ip);
            if (uid.isEmpty() || v < first || v > last || byPod.containsKey(uid)) {
                deleteQuietly(entry); // outside this CIDR, or a pod's second IP left by a crash mid-claim
                continue;
            }
            byPod.put(uid, ip);
            used.add(ip);
        }
    }

    /** Moves the former single-file format aside, writes its assignments as files, then deletes it. */
    private void migrate() {
        Path old = dir.resolveSibling(dir.getFileName() + ".old");
        try {
            if (Files.isRegularFile(dir)) {
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            if (!Files.exists(old)) {
                return;
            }
            for (String line : Files.readAllLines(old, StandardCharsets.UTF_8)) {
                String[] f = line.strip().split("\\s+");
                if (f.length == 2 && isAddress(f[1])) {
                    write(f[1], f[0]);
                }
            }
            Files.delete(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot migrate " + old, e);
        }
    }

    private void write(String ip, String podUid) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + ip + ".tmp");
            Files.writeString(tmp, podUid, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(ip), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(ip), e);
        }
    }

    private void delete(String ip) {
        try {
            Files.deleteIfExists(dir.resolve(ip));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir.resolve(ip), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left for the next load
        }
    }

    private static boolean isAddress(String s) {
        try {
            toLong(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
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
