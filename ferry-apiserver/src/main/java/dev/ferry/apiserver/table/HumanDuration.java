package dev.ferry.apiserver.table;

import java.time.Duration;

/**
 * A port of apimachinery's {@code duration.HumanDuration}: a succinct, ~2-3 significant figure rendering of a
 * duration ("5s", "3m20s", "70m", "7h59m", "2d3h", "367d", "2y1d", "8y"). Negative durations down to -1.999s
 * render as "0s" (clock skew tolerance); anything more negative is "&lt;invalid&gt;".
 */
public final class HumanDuration {
    private HumanDuration() {
    }

    public static String format(Duration d) {
        // Go's int(d.Seconds()) truncates toward zero; Duration.getSeconds() floors.
        long seconds = d.getSeconds();
        if (seconds < 0 && d.getNano() > 0) {
            seconds++;
        }
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = hours / 24 % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
