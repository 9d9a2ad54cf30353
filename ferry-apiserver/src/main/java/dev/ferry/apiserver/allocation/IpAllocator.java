package dev.ferry.apiserver.allocation;

import dev.ferry.api.net.Cidr;
import dev.ferry.api.net.IpAddresses;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Allocates addresses of one CIDR, as upstream's bitmap {@code ipallocator.Range}. The network address is never handed
 * out, nor the broadcast address of an IPv4 range; an IPv6 range is capped at 65536 addresses. The lowest
 * {@code min(max(16, size/16), 256)} usable addresses form the static band (none for ranges of 16 addresses or fewer):
 * {@link #allocateNext()} prefers the addresses above it, while {@link #allocate(String)} may take any usable address.
 * Thread-safe.
 */
public final class IpAllocator {
    private static final int IPV6_MAX = 65536;

    private final Cidr cidr;
    private final BigInteger first;
    private final AllocationBitmap bitmap;

    public IpAllocator(String cidr) {
        this(cidr, new SecureRandom());
    }

    /** @param random source of the random start offsets; inject a seeded one for reproducible tests */
    public IpAllocator(String cidr, RandomGenerator random) {
        this.cidr = Cidr.parse(cidr);
        BigInteger size = this.cidr.size();
        BigInteger usable;
        if (this.cidr.isIPv6()) {
            usable = size.min(BigInteger.valueOf(IPV6_MAX)).subtract(BigInteger.ONE);
        } else {
            usable = size.subtract(BigInteger.TWO);
        }
        int max = usable.signum() < 0 ? 0 : usable.intValueExact();
        this.first = BigInteger.ONE;
        this.bitmap = new AllocationBitmap(max, staticBandSize(size), random);
    }

    /** Upstream's {@code calculateRangeOffset}: {@code min(max(16, size/16), 256)}, 0 for ranges of at most 16. */
    static int staticBandSize(BigInteger cidrSize) {
        if (cidrSize.compareTo(BigInteger.valueOf(16)) <= 0) {
            return 0;
        }
        BigInteger offset = cidrSize.divide(BigInteger.valueOf(16));
        return offset.max(BigInteger.valueOf(16)).min(BigInteger.valueOf(256)).intValue();
    }

    /** The range in canonical CIDR text, as used in "The range of valid IPs is ..." messages. */
    public String cidr() {
        return cidr.toString();
    }

    public boolean isIPv6() {
        return cidr.isIPv6();
    }

    /** The first usable address (network + 1), which the {@code kubernetes} Service gets. */
    public String firstAddress() {
        return cidr.addressAt(first);
    }

    /** Number of addresses at the bottom of the range that dynamic allocation avoids while it can. */
    public int staticBandSize() {
        return bitmap.staticBand();
    }

    /** Number of allocatable addresses. */
    public int size() {
        return bitmap.max();
    }

    /**
     * Takes {@code ip}.
     *
     * @throws AllocationException NOT_IN_RANGE (not a usable address of this range, or not an IP) or ALREADY_ALLOCATED
     */
    public void allocate(String ip) throws AllocationException {
        int offset = offsetOf(ip);
        if (offset < 0) {
            throw new AllocationException(AllocationException.Reason.NOT_IN_RANGE,
                    "the provided IP (" + ip + ") is not in the valid range. The range of valid IPs is " + cidr);
        }
        if (!bitmap.allocate(offset)) {
            throw new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED,
                    "provided IP is already allocated");
        }
    }

    /**
     * Takes a free address, preferring the dynamic (upper) band.
     *
     * @return the address in canonical text
     * @throws AllocationException FULL when no address is left
     */
    public String allocateNext() throws AllocationException {
        OptionalInt offset = bitmap.allocateNext();
        if (offset.isEmpty()) {
            throw new AllocationException(AllocationException.Reason.FULL, "range is full");
        }
        return addressOf(offset.getAsInt());
    }

    /** Frees {@code ip}; freeing a free, out-of-range or malformed address is a no-op. */
    public void release(String ip) {
        int offset = offsetOf(ip);
        if (offset >= 0) {
            bitmap.release(offset);
        }
    }

    public boolean has(String ip) {
        int offset = offsetOf(ip);
        return offset >= 0 && bitmap.has(offset);
    }

    /** Whether {@code ip} is a usable address of this range (allocated or not). */
    public boolean contains(String ip) {
        return offsetOf(ip) >= 0;
    }

    /** Whether {@code ip} is a usable address inside the static band. */
    public boolean inStaticBand(String ip) {
        int offset = offsetOf(ip);
        return offset >= 0 && offset < bitmap.staticBand();
    }

    public int used() {
        return bitmap.used();
    }

    public int free() {
        return bitmap.free();
    }

    /** The allocated addresses in ascending order (a snapshot). */
    public List<String> allocated() {
        List<String> out = new ArrayList<>();
        bitmap.forEach(offset -> out.add(addressOf(offset)));
        return out;
    }

    private String addressOf(int offset) {
        return cidr.addressAt(first.add(BigInteger.valueOf(offset)));
    }

    /** Bitmap offset of {@code ip}, or -1 if it is not a usable address of this range. */
    private int offsetOf(String ip) {
        byte[] address = IpAddresses.parse(ip);
        if (address == null || !cidr.contains(address)) {
            return -1;
        }
        BigInteger offset = cidr.offsetOf(address).subtract(first);
        if (offset.signum() < 0 || offset.compareTo(BigInteger.valueOf(bitmap.max())) >= 0) {
            return -1;
        }
        return offset.intValue();
    }
}
