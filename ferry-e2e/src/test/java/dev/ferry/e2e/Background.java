package dev.ferry.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A kubectl process running in the background ({@code get -w}, {@code wait}), with its output collected line by
 * line as it is printed. Stopped by its PID.
 */
final class Background implements AutoCloseable {
    private final Process process;
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final List<String> err = Collections.synchronizedList(new ArrayList<>());

    private Background(Process process) {
        this.process = process;
        collect(process.getInputStream(), out);
        collect(process.getErrorStream(), err);
    }

    static Background start(Kubectl kubectl, String... args) throws IOException {
        Process p = kubectl.start(java.util.Map.of(), args);
        p.getOutputStream().close();
        return new Background(p);
    }

    private static void collect(InputStream in, List<String> into) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException e) {
                into.add("<read failed: " + e + ">");
            }
        });
    }

    /** The stdout lines printed so far. */
    List<String> lines() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    String stderr() {
        synchronized (err) {
            return String.join("\n", err);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, once it has exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** Sends SIGTERM to this process (by PID), then SIGKILL if it is still there after 5 s. */
    @Override
    public void close() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
