package dev.ferry.proxy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdleTrackerTest {
    private static final long TIMEOUT = 100;
    private static final long PERIOD = 25;

    /** Traffic at the given times, sweeps every PERIOD from 0: the first sweep that finds the tracker idle. */
    private static long expiry(List<Long> traffic) {
        IdleTracker t = new IdleTracker();
        int next = 0;
        for (long sweep = 0; ; sweep += PERIOD) {
            while (next < traffic.size() && traffic.get(next) <= sweep) {
                t.touch();
                next++;
            }
            if (t.idle(sweep, TIMEOUT)) {
                return sweep;
            }
        }
    }

    record Case(String name, List<Long> traffic, long expiry) {}

    @Test
    void expiresBetweenTimeoutAndTimeoutPlusTwoPeriodsAfterTheLastTraffic() {
        List<Case> cases = List.of(
                new Case("created at 0, no more traffic", List.of(), 100),
                new Case("traffic just after a sweep", List.of(1L), 125),
                new Case("traffic on a sweep", List.of(50L), 150),
                new Case("traffic just before a sweep", List.of(74L), 175),
                new Case("steady traffic then silence", List.of(10L, 30L, 60L, 90L, 150L, 210L, 260L), 375));
        for (Case c : cases) {
            long last = c.traffic().isEmpty() ? 0 : c.traffic().getLast();
            assertThat(expiry(c.traffic())).as(c.name()).isEqualTo(c.expiry())
                    .isGreaterThanOrEqualTo(last + TIMEOUT).isLessThan(last + TIMEOUT + 2 * PERIOD);
        }
    }
}
