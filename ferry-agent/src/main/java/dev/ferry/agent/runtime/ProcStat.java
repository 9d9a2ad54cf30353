package dev.ferry.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} the runtime needs. {@code startTicks} (field 22, clock ticks since boot)
 * identifies a process across PID reuse: a PID with another start time is another process.
 */
record ProcStat(long pid, char state, long pgrp, long session, long startTicks) {
    /** The process, or empty when there is none (or /proc is unreadable). */
    static Optional<ProcStat> read(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(pid, Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Parses a stat line; the command name (field 2) may contain spaces and parentheses, so fields follow the last ')'. */
    static ProcStat parse(long pid, String line) {
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[19]));
    }

    /** Running (not a zombie or dead). */
    boolean alive() {
        return state != 'Z' && state != 'X' && state != 'x';
    }

    /** True when {@code pid} is alive and is the process that started at {@code startTicks}. */
    static boolean isSameAlive(long pid, long startTicks) {
        return read(pid).filter(s -> s.alive() && s.startTicks() == startTicks).isPresent();
    }
}
