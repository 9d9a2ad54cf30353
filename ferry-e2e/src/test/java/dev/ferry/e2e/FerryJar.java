package dev.ferry.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Starts the {@code ferry} jar with some arguments as a child process and waits for the ready line it prints; the
 * process's output (stdout and stderr) is collected line by line for failure messages.
 */
final class FerryJar {
    private FerryJar() {
    }

    /** A started process, its output so far (a synchronized list that keeps growing) and its parsed ready line. */
    record Started<T>(Process process, List<String> output, T ready) {
    }

    /**
     * Runs {@code java -jar ferry.jar args…}; returns once {@code readyLine} parses a line of its output. A process
     * that exits first, or prints no ready line within 60 s, is killed and fails with its output.
     */
    static <T> Started<T> start(List<String> args, Function<String, Optional<T>> readyLine) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-jar", FerryProcess.jar().toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<T> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    readyLine.apply(line).ifPresent(ready::complete);
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("ferry exited before it was ready"));
        });
        try {
            return new Started<>(p, output, ready.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            String threads = p.isAlive() ? threadDump(p.pid()) : "";
            try {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            String printed;
            synchronized (output) {
                printed = String.join("\n", output);
            }
            throw new IllegalStateException("ferry " + String.join(" ", args) + " did not become ready: " + e + "\n"
                    + printed + (threads.isEmpty() ? "" : "\nits threads:\n" + threads), e);
        }
    }

    /**
     * The threads of a JVM that did not get ready, to see where it waits: platform threads with the monitors they
     * hold (jcmd Thread.print), then every thread including virtual ones (jcmd Thread.dump_to_file); "" if
     * unavailable.
     */
    private static String threadDump(long pid) {
        try {
            Path file = Files.createTempFile("ferry-threads-", ".txt");
            Files.delete(file);
            String dump = jcmd(pid, "Thread.print") + "\n" + jcmd(pid, "Thread.dump_to_file", file.toString());
            if (Files.exists(file)) {
                dump += "\nall threads, virtual ones too:\n" + Files.readString(file);
                Files.delete(file);
            }
            return dump;
        } catch (IOException e) {
            return "";
        }
    }

    private static String jcmd(long pid, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = jcmd.getInputStream().readAllBytes();
        try {
            return jcmd.waitFor(20, TimeUnit.SECONDS) ? new String(out, StandardCharsets.UTF_8) : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static String text(List<String> output) {
        synchronized (output) {
            return String.join("\n", output);
        }
    }
}
