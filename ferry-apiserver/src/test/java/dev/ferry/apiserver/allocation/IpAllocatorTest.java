package dev.ferry.apiserver.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAllocatorTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/28, 14, 0",
            "10.0.0.0/27, 30, 16",
            "192.168.0.0/26, 62, 16",
            "10.0.0.0/24, 254, 16",
            "10.0.0.0/22, 1022, 64",
            "127.96.0.0/16, 65534, 256",
            "10.96.0.0/12, 1048574, 256",
            "fd00::/120, 255, 16",
            "fd00::/64, 65535, 256"
    })
    void sizesAndStaticBandFollowUpstream(String cidr, int size, int band) {
        IpAllocator a = new IpAllocator(cidr, new ScriptedRandom(0));
        assertThat(a.size()).isEqualTo(size);
        assertThat(a.staticBandSize()).isEqualTo(band);
        assertThat(a.free()).isEqualTo(size);
        assertThat(a.used()).isZero();
    }

    @Test
    void networkAndBroadcastAreNotInRange() {
        IpAllocator a = new IpAllocator("10.0.0.0/24", new ScriptedRandom(0));
        assertThat(a.firstAddress()).isEqualTo("10.0.0.1");
        for (String ip : List.of("10.0.0.0", "10.0.0.255", "10.0.1.0", "9.255.255.255", "fd00::1", "junk")) {
            assertThatThrownBy(() -> a.allocate(ip))
                    .isInstanceOf(AllocationException.class)
                    .hasMessage("the provided IP (" + ip + ") is not in the valid range. "
                            + "The range of valid IPs is 10.0.0.0/24")
                    .extracting(e -> ((AllocationException) e).reason())
                    .isEqualTo(AllocationException.Reason.NOT_IN_RANGE);
        }
        assertThat(a.contains("10.0.0.1")).isTrue();
        assertThat(a.contains("10.0.0.254")).isTrue();
    }

    @Test
    void ipv6RangeAllowsItsLastAddress() throws Exception {
        IpAllocator a = new IpAllocator("fd00::/120", new ScriptedRandom(0));
        assertThat(a.firstAddress()).isEqualTo("fd00::1");
        a.allocate("fd00::ff");
        assertThat(a.has("fd00::ff")).isTrue();
        assertThatThrownBy(() -> a.allocate("fd00::"))
                .hasMessageContaining("is not in the valid range");
    }

    @Test
    void explicitAllocationMayUseEitherBandAndIsExclusive() throws Exception {
        IpAllocator a = new IpAllocator("127.96.0.0/16", new ScriptedRandom(0));
        a.allocate("127.96.0.1");
        a.allocate("127.96.0.10");
        a.allocate("127.96.200.7");
        assertThat(a.inStaticBand("127.96.0.10")).isTrue();
        assertThat(a.inStaticBand("127.96.1.0")).isTrue();
        assertThat(a.inStaticBand("127.96.1.1")).isFalse();
        assertThatThrownBy(() -> a.allocate("127.96.0.10"))
                .isInstanceOf(AllocationException.class)
                .hasMessage("provided IP is already allocated");
        assertThat(a.used()).isEqualTo(3);
        assertThat(a.allocated()).containsExactly("127.96.0.1", "127.96.0.10", "127.96.200.7");
    }

    @Test
    void dynamicAllocationStartsAtRandomOffsetInUpperBandAndScansWithWrap() throws Exception {
        // /24: 254 usable, static band = 16 lowest (.1-.16), upper band .17-.254 (238 addresses)
        ScriptedRandom random = new ScriptedRandom(0, 0, 0, 237, 237);
        IpAllocator a = new IpAllocator("10.0.0.0/24", random);
        assertThat(a.allocateNext()).isEqualTo("10.0.0.17");
        assertThat(a.allocateNext()).isEqualTo("10.0.0.18");
        assertThat(a.allocateNext()).isEqualTo("10.0.0.254");
        // .254 taken: the scan wraps to the start of the upper band, skipping the taken .17 and .18
        assertThat(a.allocateNext()).isEqualTo("10.0.0.19");
        assertThat(random.bounds).containsOnly(238);
    }

    @Test
    void dynamicAllocationFallsBackToStaticBandWhenUpperBandIsFull() throws Exception {
        IpAllocator a = new IpAllocator("10.0.0.0/27", new ScriptedRandom(0));
        // 30 usable, band 16: upper band is offsets 16..29 = .17-.30
        Set<String> upper = new HashSet<>();
        for (int i = 0; i < 14; i++) {
            upper.add(a.allocateNext());
        }
        assertThat(upper).allSatisfy(ip -> assertThat(a.inStaticBand(ip)).isFalse()).hasSize(14);
        ScriptedRandom lowRandom = new ScriptedRandom(5);
        IpAllocator b = new IpAllocator("10.0.0.0/27", lowRandom);
        for (String ip : upper) {
            b.allocate(ip);
        }
        assertThat(b.allocateNext()).isEqualTo("10.0.0.6");
        assertThat(lowRandom.bounds).containsExactly(14, 16);
    }

    @Test
    void fullRangeReportsRangeIsFull() throws Exception {
        IpAllocator a = new IpAllocator("10.0.0.0/29", new ScriptedRandom(3));
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(a.allocateNext());
        }
        assertThat(all).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
        assertThatThrownBy(a::allocateNext)
                .isInstanceOf(AllocationException.class)
                .hasMessage("range is full")
                .extracting(e -> ((AllocationException) e).reason())
                .isEqualTo(AllocationException.Reason.FULL);
        a.release("10.0.0.4");
        assertThat(a.has("10.0.0.4")).isFalse();
        assertThat(a.allocateNext()).isEqualTo("10.0.0.4");
    }

    @Test
    void releaseOfFreeOrForeignAddressIsANoOp() throws Exception {
        IpAllocator a = new IpAllocator("10.0.0.0/24", new ScriptedRandom(0));
        a.allocate("10.0.0.9");
        a.release("10.0.0.8");
        a.release("192.168.0.1");
        a.release("not-an-ip");
        assertThat(a.used()).isEqualTo(1);
        a.release("10.0.0.9");
        a.release("10.0.0.9");
        assertThat(a.used()).isZero();
        assertThat(a.free()).isEqualTo(254);
    }

    @Test
    void concurrentDynamicAllocationsNeverCollide() throws Exception {
        IpAllocator a = new IpAllocator("10.0.0.0/22");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                while (true) {
                    try {
                        got.add(a.allocateNext());
                    } catch (AllocationException e) {
                        return null;
                    }
                }
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(got).hasSize(1022).doesNotHaveDuplicates();
        assertThat(a.free()).isZero();
    }

    @Test
    void concurrentRequestsForTheSameAddressHaveOneWinner() throws Exception {
        IpAllocator a = new IpAllocator("10.0.0.0/24");
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    a.allocate("10.0.0.77");
                    return true;
                } catch (AllocationException e) {
                    return false;
                }
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> f : futures) {
            winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(winners).isEqualTo(1);
        assertThat(a.used()).isEqualTo(1);
    }
}
