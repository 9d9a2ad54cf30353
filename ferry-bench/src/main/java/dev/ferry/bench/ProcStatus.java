package dev.ferry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads {@code /proc/PID/status} (Linux). */
final class ProcStatus {
    private ProcStatus() {
    }

    /** VmRSS in KiB. */
    static long rssKib(long pid) {
        try {
            return vmRssKib(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * CPU time all processes on the machine have used since boot (user, nice, system, irq, softirq, steal), from
     * {@code /proc/stat}; jiffies converted at the usual 100 per second.
     */
    static long machineBusyNanos() {
        try {
            return busyNanos(Files.readString(Path.of("/proc/stat")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Busy time of the {@code cpu} summary line of a {@code /proc/stat} text. */
    static long busyNanos(String stat) {
        String line = stat.substring(0, stat.indexOf('\n'));
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("no cpu line");
        }
        long jiffies = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
            jiffies += Long.parseLong(f[i]);
        }
        return jiffies * 10_000_000L;
    }

    /** The {@code VmRSS:   123456 kB} value of a status file's text. */
    static long vmRssKib(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String value = line.substring("VmRSS:".length()).trim();
                return Long.parseLong(value.substring(0, value.indexOf(' ')));
            }
        }
        throw new IllegalArgumentException("no VmRSS line");
    }
}
