package dev.ferry.client;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** metav1.Time: RFC 3339 with second precision, in UTC. */
public final class Times {
    private Times() {
    }

    /** The instant of an RFC 3339 timestamp; null for null or blank. */
    public static Instant parse(String text) {
        return text == null || text.isBlank() ? null : Instant.parse(text);
    }

    /** {@code t} as metav1.Time renders it ("2006-01-02T15:04:05Z"). */
    public static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
