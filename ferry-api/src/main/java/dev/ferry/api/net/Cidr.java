package dev.ferry.api.net;

import java.math.BigInteger;

/**
 * An IPv4 or IPv6 network in CIDR notation. Parsing follows Go's {@code ParseCIDRSloppy}: host bits after the prefix are
 * accepted and masked off, so {@code 10.0.0.5/24} is the network {@code 10.0.0.0/24}.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;
    private final BigInteger base;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.base = IpAddresses.toBigInteger(network);
    }

    /** @throws IllegalArgumentException if {@code text} is not {@code <ip>/<prefix>} */
    public static Cidr parse(String text) {
        Cidr c = tryParse(text);
        if (c == null) {
            throw new IllegalArgumentException("invalid CIDR address: " + text);
        }
        return c;
    }

    /** The network, or null if {@code text} is not a CIDR. */
    public static Cidr tryParse(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String ipText = text.substring(0, slash);
        String bitsText = text.substring(slash + 1);
        if (bitsText.isEmpty() || bitsText.length() > 3 || !bitsText.chars().allMatch(Character::isDigit)) {
            return null;
        }
        byte[] ip = IpAddresses.parse(ipText);
        if (ip == null) {
            return null;
        }
        // "::ffff:1.2.3.0/120" is IPv4 in Go only when written as IPv4; keep an IPv6 prefix on IPv6 text.
        if (ip.length == 4 && ipText.indexOf(':') >= 0) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(ip, 0, mapped, 12, 4);
            ip = mapped;
        }
        int bits = Integer.parseInt(bitsText);
        if (bits > ip.length * 8) {
            return null;
        }
        byte[] masked = ip.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            masked[i] &= (byte) (0xff << (8 - keep));
        }
        return new Cidr(masked, bits);
    }

    public boolean isIPv6() {
        return network.length == 16;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** Number of addresses in the network, network and broadcast addresses included. */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(network.length * 8 - prefixLength);
    }

    public boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        return offsetOf(address).signum() >= 0 && offsetOf(address).compareTo(size()) < 0;
    }

    public boolean contains(String address) {
        return contains(IpAddresses.parse(address));
    }

    /** {@code address - network}; only meaningful for addresses of the same family. */
    public BigInteger offsetOf(byte[] address) {
        return IpAddresses.toBigInteger(address).subtract(base);
    }

    /** The address {@code offset} places after the network address, in canonical text. */
    public String addressAt(BigInteger offset) {
        return IpAddresses.format(IpAddresses.fromBigInteger(base.add(offset), network.length));
    }

    @Override
    public String toString() {
        return IpAddresses.format(network) + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }
}
