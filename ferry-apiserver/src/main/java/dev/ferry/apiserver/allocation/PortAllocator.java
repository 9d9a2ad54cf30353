package dev.ferry.apiserver.allocation;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Allocates ports of an inclusive range (the node-port range, default 30000-32767), as upstream's
 * {@code portallocator}. The lowest {@code min(max(16, size/32), 128)} ports form the static band (none for ranges of
 * 16 ports or fewer): {@link #allocateNext()} prefers the ports above it. Thread-safe.
 */
public final class PortAllocator {
    private final int base;
    private final int last;
    private final AllocationBitmap bitmap;

    public PortAllocator(int min, int max) {
        this(min, max, new SecureRandom());
    }

    public PortAllocator(int min, int max, RandomGenerator random) {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("invalid port range " + min + "-" + max);
        }
        this.base = min;
        this.last = max;
        int size = max - min + 1;
        this.bitmap = new AllocationBitmap(size, staticBandSize(size), random);
    }

    static int staticBandSize(int rangeSize) {
        if (rangeSize <= 16) {
            return 0;
        }
        return Math.min(Math.max(16, rangeSize / 32), 128);
    }

    /** "30000-32767", as in "The range of valid ports is ...". */
    public String rangeText() {
        return base + "-" + last;
    }

    public int min() {
        return base;
    }

    public int max() {
        return last;
    }

    public int staticBandSize() {
        return bitmap.staticBand();
    }

    /** @throws AllocationException NOT_IN_RANGE or ALREADY_ALLOCATED */
    public void allocate(int port) throws AllocationException {
        if (port < base || port > last) {
            throw new AllocationException(AllocationException.Reason.NOT_IN_RANGE,
                    "provided port is not in the valid range. The range of valid ports is " + rangeText());
        }
        if (!bitmap.allocate(port - base)) {
            throw new AllocationException(AllocationException.Reason.ALREADY_ALLOCATED,
                    "provided port is already allocated");
        }
    }

    /** @throws AllocationException FULL when no port is left */
    public int allocateNext() throws AllocationException {
        OptionalInt offset = bitmap.allocateNext();
        if (offset.isEmpty()) {
            throw new AllocationException(AllocationException.Reason.FULL, "range is full");
        }
        return base + offset.getAsInt();
    }

    /** Frees {@code port}; freeing a free or out-of-range port is a no-op. */
    public void release(int port) {
        if (port >= base && port <= last) {
            bitmap.release(port - base);
        }
    }

    public boolean has(int port) {
        return port >= base && port <= last && bitmap.has(port - base);
    }

    public boolean inStaticBand(int port) {
        return port >= base && port - base < bitmap.staticBand();
    }

    public int used() {
        return bitmap.used();
    }

    public int free() {
        return bitmap.free();
    }

    /** The allocated ports in ascending order (a snapshot). */
    public List<Integer> allocated() {
        List<Integer> out = new ArrayList<>();
        bitmap.forEach(offset -> out.add(base + offset));
        return out;
    }
}
