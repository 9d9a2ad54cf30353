package dev.ferry.apiserver.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortAllocatorTest {

    @ParameterizedTest
    @CsvSource({
            "30000, 32767, 86",
            "20000, 32767, 128",
            "30000, 30015, 0",
            "30000, 30016, 16",
            "30000, 30999, 31"
    })
    void staticBandFollowsKep3668(int min, int max, int band) {
        assertThat(new PortAllocator(min, max, new ScriptedRandom(0)).staticBandSize()).isEqualTo(band);
    }

    @Test
    void dynamicAllocationPrefersUpperBand() throws Exception {
        ScriptedRandom random = new ScriptedRandom(0);
        PortAllocator a = new PortAllocator(30000, 32767, random);
        assertThat(a.allocateNext()).isEqualTo(30086);
        assertThat(a.allocateNext()).isEqualTo(30087);
        assertThat(random.bounds).containsOnly(2768 - 86);
        assertThat(a.inStaticBand(30085)).isTrue();
        assertThat(a.inStaticBand(30086)).isFalse();
    }

    @Test
    void explicitPortsAreCheckedForRangeAndUse() throws Exception {
        PortAllocator a = new PortAllocator(30000, 32767, new ScriptedRandom(0));
        a.allocate(30000);
        a.allocate(32767);
        assertThat(a.has(30000)).isTrue();
        assertThat(a.rangeText()).isEqualTo("30000-32767");
        assertThatThrownBy(() -> a.allocate(30000))
                .isInstanceOf(AllocationException.class)
                .hasMessage("provided port is already allocated");
        for (int port : new int[] {29999, 32768, 80, -1}) {
            assertThatThrownBy(() -> a.allocate(port))
                    .hasMessage("provided port is not in the valid range. The range of valid ports is 30000-32767")
                    .extracting(e -> ((AllocationException) e).reason())
                    .isEqualTo(AllocationException.Reason.NOT_IN_RANGE);
        }
        assertThat(a.used()).isEqualTo(2);
        assertThat(a.allocated()).containsExactly(30000, 32767);
    }

    @Test
    void exhaustsThenRecyclesReleasedPorts() throws Exception {
        PortAllocator a = new PortAllocator(40000, 40019, new ScriptedRandom(7));
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            all.add(a.allocateNext());
        }
        assertThat(all).hasSize(20).allSatisfy(p -> assertThat(p).isBetween(40000, 40019));
        assertThatThrownBy(a::allocateNext).hasMessage("range is full");
        a.release(40003);
        a.release(12);
        assertThat(a.free()).isEqualTo(1);
        assertThat(a.allocateNext()).isEqualTo(40003);
    }

    @Test
    void rejectsInvalidRanges() {
        assertThatThrownBy(() -> new PortAllocator(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortAllocator(20, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PortAllocator(1, 70000)).isInstanceOf(IllegalArgumentException.class);
    }
}
