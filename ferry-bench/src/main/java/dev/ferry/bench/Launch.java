package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start the Ferry binary: the JVM, the shaded jar, and the JVM options. {@link #launcherOptions} are the
 * {@code ./ferry} launcher's own (one file serves both), so start-up and memory are what a user of {@code ./ferry up}
 * sees.
 */
record Launch(Path java, Path jar, List<String> jvmOptions) {

    /**
     * How the harnesses start {@code ferryJar} (the shaded jar in {@code <repo>/ferry-cli/target}): the launcher's
     * options, then {@code extraOptions}; a usage error (IllegalArgumentException) when the jar is missing.
     */
    static Launch forJar(Path java, Path ferryJar, List<String> extraOptions) throws IOException {
        if (!Files.isRegularFile(ferryJar)) {
            throw new IllegalArgumentException("no " + ferryJar
                    + ": build it with ./mvnw -q -DskipTests package -pl ferry-cli -am");
        }
        Path jar = ferryJar.toAbsolutePath();
        List<String> options = new ArrayList<>(launcherOptions(jar.getParent().getParent().getParent()));
        options.addAll(extraOptions);
        return new Launch(java, jar, options);
    }

    /**
     * The launcher's options, read from {@code bin/jvm-options} in the checkout at {@code repo}, plus the start-up
     * cache the launcher records next to the jar ({@code ./ferry version} creates it), when present and not older than
     * the jar.
     */
    static List<String> launcherOptions(Path repo) throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(repo.resolve("bin/jvm-options"))) {
            if (!line.isBlank()) {
                options.add(line.strip());
            }
        }
        Path aot = repo.resolve("ferry-cli/target/ferry.aot");
        Path jar = repo.resolve("ferry-cli/target/ferry.jar");
        // a cache older than the jar is never used: the JVM then runs the classes of the jar it was recorded from
        if (Files.isRegularFile(aot) && Files.isRegularFile(jar)
                && Files.getLastModifiedTime(aot).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
            options.add("-XX:AOTCache=" + aot);
        }
        return options;
    }

    List<String> command(List<String> ferryArgs) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(ferryArgs);
        return command;
    }
}
