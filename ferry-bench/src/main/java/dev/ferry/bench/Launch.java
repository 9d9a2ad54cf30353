package dev.ferry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start the Ferry binary: the JVM, the shaded jar, and the JVM options. {@link #launcherOptions} mirrors the
 * {@code ./ferry} launcher script (serial GC, auto-created class-data-sharing archive), so start-up and memory are
 * what a user of {@code ./ferry up} sees.
 */
record Launch(Path java, Path jar, List<String> jvmOptions) {

    static List<String> launcherOptions(Path sharedArchive) {
        return List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:SharedArchiveFile=" + sharedArchive,
                "-XX:+AutoCreateSharedArchive", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-Xlog:aot=off");
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
