package dev.ferry.controllers.nodeipam;

import java.util.BitSet;
import java.util.Optional;

/**
 * The node-sized subnets of an IPv4 cluster CIDR and which are taken, as upstream's cidrset: {@code 127.244.0.0/16}
 * with mask size 24 holds 256 subnets {@code 127.244.0.0/24 … 127.244.255.0/24}; {@link #allocate} hands out the
 * lowest free one. Not thread-safe: one owner (the controller's single worker and its event handlers, serialised by
 * the caller).
 */
public final class CidrSet {
    private final long base;
    private final int clusterPrefix;
    private final int subnetPrefix;
    private final int size;
    private final BitSet used;

    /**
     * @param clusterCidr  e.g. "127.244.0.0/16" (host bits must be zero)
     * @param subnetPrefix the node subnets' prefix length, at least the cluster's and at most 30
     */
    public CidrSet(String clusterCidr, int subnetPrefix) {
        String[] parts = clusterCidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a CIDR: " + clusterCidr);
        }
        this.clusterPrefix = Integer.parseInt(parts[1]);
        if (clusterPrefix < 0 || clusterPrefix > 32 || subnetPrefix < clusterPrefix || subnetPrefix > 30
                || subnetPrefix - clusterPrefix > 24) {
            throw new IllegalArgumentException("cannot split " + clusterCidr + " into /" + subnetPrefix + " subnets");
        }
        this.base = parse(parts[0]);
        if ((base & hostMask(clusterPrefix)) != 0) {
            throw new IllegalArgumentException(clusterCidr + " has host bits set");
        }
        this.subnetPrefix = subnetPrefix;
        this.size = 1 << (subnetPrefix - clusterPrefix);
        this.used = new BitSet(size);
    }

    /** The lowest free subnet, now taken; empty when all are taken. */
    public Optional<String> allocate() {
        int i = used.nextClearBit(0);
        if (i >= size) {
            return Optional.empty();
        }
        used.set(i);
        return Optional.of(subnet(i));
    }

    /**
     * Marks {@code cidr} taken (idempotent); false when it is not one of this set's subnets (outside the cluster
     * CIDR, a different size, or not aligned), which the caller reports and otherwise ignores.
     */
    public boolean occupy(String cidr) {
        int i = index(cidr);
        if (i < 0) {
            return false;
        }
        used.set(i);
        return true;
    }

    /** Frees {@code cidr} if it is one of this set's subnets. */
    public void release(String cidr) {
        int i = index(cidr);
        if (i >= 0) {
            used.clear(i);
        }
    }

    public boolean isTaken(String cidr) {
        int i = index(cidr);
        return i >= 0 && used.get(i);
    }

    /** How many subnets are taken. */
    public int taken() {
        return used.cardinality();
    }

    private String subnet(int i) {
        long addr = base + ((long) i << (32 - subnetPrefix));
        return format(addr) + "/" + subnetPrefix;
    }

    private int index(String cidr) {
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            return -1;
        }
        long addr;
        int prefix;
        try {
            addr = parse(parts[0]);
            prefix = Integer.parseInt(parts[1]);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (prefix != subnetPrefix || (addr & hostMask(subnetPrefix)) != 0) {
            return -1;
        }
        long offset = addr - base;
        if (offset < 0 || (offset >> (32 - subnetPrefix)) >= size) {
            return -1;
        }
        return (int) (offset >> (32 - subnetPrefix));
    }

    private static long hostMask(int prefix) {
        return prefix == 32 ? 0 : (1L << (32 - prefix)) - 1;
    }

    static long parse(String ip) {
        String[] octets = ip.split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        long v = 0;
        for (String o : octets) {
            int b = Integer.parseInt(o);
            if (b < 0 || b > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            v = (v << 8) | b;
        }
        return v;
    }

    static String format(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }
}
