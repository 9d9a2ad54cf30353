package dev.ferry.proxy.dataplane;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback addresses of one test: the block 127.77.N.0/24 with N random per test (so tests of several runs or JVMs
 * rarely meet); frontends at .1–.9, backends at .10–.99, clients at .100 and up.
 */
final class TestNet {
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(1, 255));

    final int block;

    TestNet() {
        this.block = NEXT.getAndUpdate(n -> n % 254 + 1);
    }

    InetAddress address(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 77, (byte) block, (byte) host});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    InetAddress frontendIp() {
        return address(1);
    }

    InetSocketAddress backend(int i, int port) {
        return new InetSocketAddress(address(10 + i), port);
    }

    InetAddress client(int i) {
        return address(100 + i);
    }
}
