package dev.ferry.images;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A built-in image main class running in a child JVM, as the node agent runs it; stopped by PID on close. */
final class ImageProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");

    final Process process;
    final String ip;
    final int port;

    private ImageProcess(Process process, String ip, int port) {
        this.process = process;
        this.ip = ip;
        this.port = port;
    }

    static ImageProcess start(Class<?> main, Map<String, String> env) throws Exception {
        return start(main, env, List.of());
    }

    /** @param jvmOptions extra options of the child JVM, e.g. system properties */
    static ImageProcess start(Class<?> main, Map<String, String> env, List<String> jvmOptions) throws Exception {
        Path classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xmx32m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classes.toString(), main.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                StringBuilder seen = new StringBuilder();
                String line;
                while ((line = out.readLine()) != null) {
                    if (LISTENING.matcher(line).find()) {
                        return line;
                    }
                    seen.append(line).append('\n');
                }
                throw new IllegalStateException("exited before listening: " + seen);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Matcher m = LISTENING.matcher(ready.get(30, TimeUnit.SECONDS));
            m.find();
            return new ImageProcess(process, m.group(1), Integer.parseInt(m.group(2)));
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Runs a main class to its exit and returns exit code and output. */
    static Map.Entry<Integer, String> runToExit(Class<?> main, Map<String, String> env) throws Exception {
        Path classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx32m", "-cp", classes.toString(),
                main.getName())).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("did not exit: " + output);
        }
        return Map.entry(process.exitValue(), output);
    }

    /** SIGTERM, then the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("no exit after SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
