package dev.ferry.dns.server;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves. */
final class MutableClock implements InstantSource {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }
}
