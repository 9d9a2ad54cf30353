package dev.ferry.controllers.loadbalancer;

import dev.ferry.api.net.IpAddresses;
import java.util.BitSet;
import java.util.Optional;

/**
 * The assignable IPv4 addresses of a CIDR and which of them are taken, as upstream's {@code ipallocator} bitmap:
 * offsets from the network address, with the network and broadcast addresses left out when the prefix is shorter
 * than 31 (a /31 and a /32 use every address, RFC 3021).
 *
 * <pre>
 *   127.240.0.0/24:  .0 network (never) | .1 … .254 assignable | .255 broadcast (never)
 * </pre>
 *
 * {@link #allocate} hands out the lowest free address, so assignments are predictable. Not thread-safe: one owner
 * serialises access.
 */
public final class LbAddressPool {
    /** Longest pool the bitmap is sized for: a /8, 16 Mi addresses. */
    static final int MIN_PREFIX = 8;

    /** What {@link #claim} did. */
    public enum Claim {
        /** The address was free and is now taken. */
        CLAIMED,
        /** The address is already taken. */
        TAKEN,
        /** Not an assignable address of this pool (outside the CIDR, its network or broadcast address, not IPv4). */
        OUTSIDE
    }

    private final String cidr;
    private final long base;
    private final int first;
    private final int last;
    private final BitSet used;

    private LbAddressPool(String cidr, long base, int prefix) {
        this.cidr = cidr;
        this.base = base;
        long size = 1L << (32 - prefix);
        boolean reserved = prefix < 31;
        this.first = reserved ? 1 : 0;
        this.last = (int) (size - 1) - (reserved ? 1 : 0);
        this.used = new BitSet((int) size);
    }

    /**
     * A pool of every assignable address of {@code cidr}.
     *
     * @param cidr an IPv4 CIDR with no host bits set and a prefix of 8 to 32, e.g. "127.240.0.0/24"
     * @throws IllegalArgumentException naming what is wrong with {@code cidr}
     */
    public static LbAddressPool parse(String cidr) {
        String text = cidr == null ? "" : cidr.strip();
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (want an IPv4 address/prefix like 127.240.0.0/24): "
                    + text);
        }
        long base = ipv4(text.substring(0, slash));
        if (base < 0) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < MIN_PREFIX || prefix > 32) {
            throw new IllegalArgumentException("the prefix length of " + text + " must be between " + MIN_PREFIX
                    + " and 32");
        }
        long hostMask = (1L << (32 - prefix)) - 1;
        if ((base & hostMask) != 0) {
            throw new IllegalArgumentException(text + " has host bits set (did you mean " + format(base & ~hostMask)
                    + "/" + prefix + "?)");
        }
        return new LbAddressPool(format(base) + "/" + prefix, base, prefix);
    }

    /** The pool's CIDR, e.g. "127.240.0.0/24". */
    public String cidr() {
        return cidr;
    }

    /** How many addresses the pool can assign. */
    public int size() {
        return last - first + 1;
    }

    /** How many addresses are taken. */
    public int used() {
        return used.cardinality();
    }

    /** Whether {@code ip} is an assignable address of this pool, free or not. */
    public boolean contains(String ip) {
        return index(ip) >= 0;
    }

    /** Whether {@code ip} is an assignable address of this pool and not taken. */
    public boolean isFree(String ip) {
        int i = index(ip);
        return i >= 0 && !used.get(i);
    }

    /** The lowest free address, without taking it; empty when the pool is exhausted. */
    public Optional<String> lowestFree() {
        int i = used.nextClearBit(first);
        return i > last ? Optional.empty() : Optional.of(format(base + i));
    }

    /** Takes and returns the lowest free address; empty when the pool is exhausted. */
    public Optional<String> allocate() {
        Optional<String> ip = lowestFree();
        ip.ifPresent(a -> used.set(index(a)));
        return ip;
    }

    /** Takes {@code ip} if it is a free address of this pool. */
    public Claim claim(String ip) {
        int i = index(ip);
        if (i < 0) {
            return Claim.OUTSIDE;
        }
        if (used.get(i)) {
            return Claim.TAKEN;
        }
        used.set(i);
        return Claim.CLAIMED;
    }

    /** Frees {@code ip}; false when it was not a taken address of this pool. */
    public boolean release(String ip) {
        int i = index(ip);
        if (i < 0 || !used.get(i)) {
            return false;
        }
        used.clear(i);
        return true;
    }

    /** The offset of an assignable address, or -1. */
    private int index(String ip) {
        long v = ip == null ? -1 : ipv4(ip);
        if (v < 0) {
            return -1;
        }
        long offset = v - base;
        return offset < first || offset > last ? -1 : (int) offset;
    }

    /** An IPv4 address (IpAddresses' parsing) as an unsigned 32-bit value, or -1 when {@code s} is not one. */
    static long ipv4(String s) {
        byte[] b = IpAddresses.parse(s);
        return b == null || b.length != 4 ? -1 : IpAddresses.toBigInteger(b).longValue();
    }

    static String format(long v) {
        return IpAddresses.format(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
    }
}
