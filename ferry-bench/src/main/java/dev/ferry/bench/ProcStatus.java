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
