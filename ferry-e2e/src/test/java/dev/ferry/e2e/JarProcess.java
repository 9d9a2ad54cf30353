package dev.ferry.e2e;

import dev.ferry.testing.ChildProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A started {@code ferry} child process with its data dir and collected output; stopped by PID: {@link #stop}
 * (SIGTERM, SIGKILL after a grace period), {@link #kill} (SIGKILL, as a crash), {@link #close} (stop if alive).
 */
abstract class JarProcess implements AutoCloseable {
    private final Process process;
    private final Path dataDir;
    private final List<String> output;
    private final Duration closeGrace;

    JarProcess(Process process, Path dataDir, List<String> output, Duration closeGrace) {
        this.process = process;
        this.dataDir = dataDir;
        this.output = output;
        this.closeGrace = closeGrace;
    }

    public Path dataDir() {
        return dataDir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        return FerryJar.text(output);
    }

    /** SIGKILL, as a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit code, or -1 if it had to be killed after {@code grace}. */
    public int stop(Duration grace) {
        return ChildProcesses.stop(process, grace);
    }

    /** Stops the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            stop(closeGrace);
        }
    }
}
