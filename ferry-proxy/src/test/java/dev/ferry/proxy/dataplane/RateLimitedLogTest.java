package dev.ferry.proxy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
    @Test
    void admitsOncePerIntervalCountingTheSuppressed() {
        long[] now = {1_000};
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(getClass()), 10, () -> now[0]);
        List<Long> admitted = new ArrayList<>();
        long[] times = {1_000, 1_001, 1_005, 1_010, 1_011, 1_030, 1_031};
        for (long t : times) {
            now[0] = t;
            admitted.add(log.admit());
        }
        assertThat(admitted).containsExactly(1L, 0L, 0L, 3L, 0L, 2L, 0L);
    }
}
