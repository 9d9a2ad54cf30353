package dev.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void nearestRankPercentilesOfOneToHundredMilliseconds() {
        long[] nanos = LongStream.rangeClosed(1, 100).map(ms -> (101 - ms) * 1_000_000).toArray();

        Summary s = Summary.ofNanos(nanos);

        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50()).isEqualTo(50.0);
        assertThat(s.p90()).isEqualTo(90.0);
        assertThat(s.p99()).isEqualTo(99.0);
        assertThat(s.max()).isEqualTo(100.0);
        assertThat(s.mean()).isCloseTo(50.5, within(1e-9));
    }

    @Test
    void p99OfFewSamplesIsTheLargest() {
        assertThat(Summary.ofNanos(new long[] {3_000_000, 1_000_000, 2_000_000}).p99()).isEqualTo(3.0);
        assertThat(Summary.ofNanos(new long[] {7_000_000}).p50()).isEqualTo(7.0);
    }

    @Test
    void noSamplesGiveNaN() {
        assertThat(Summary.ofNanos(new long[0]).p99()).isNaN();
    }

    @Test
    void samplesGrowAndMerge() {
        Samples a = new Samples();
        Samples b = new Samples();
        for (int i = 0; i < 3000; i++) {
            a.add(1_000_000);
            b.add(3_000_000);
        }
        a.addAll(b);

        assertThat(a.size()).isEqualTo(6000);
        assertThat(a.sum()).isEqualTo(12_000_000_000L);
        assertThat(a.summary().p50()).isEqualTo(1.0);
        assertThat(a.summary().max()).isEqualTo(3.0);
    }
}
