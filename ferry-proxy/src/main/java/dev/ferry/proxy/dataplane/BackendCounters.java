package dev.ferry.proxy.dataplane;

import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one service port to one backend. Updated by the event loops without locks (each loop adds to its
 * own cell of a {@link LongAdder}); read by {@link Traffic#snapshot()}.
 */
final class BackendCounters {
    final LongAdder active = new LongAdder();
    final LongAdder total = new LongAdder();
    final LongAdder bytesToBackend = new LongAdder();
    final LongAdder bytesToClient = new LongAdder();

    void opened() {
        active.increment();
        total.increment();
    }

    void closed() {
        active.decrement();
    }
}
