package dev.ferry.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds pod processes on this machine by the {@code POD_IP} the agent put in their environment. */
final class PodProcesses {
    private PodProcesses() {
    }

    /** PIDs whose environment has {@code POD_IP=ip} (the pod's containers and their children). */
    static List<Long> withPodIp(String ip) throws IOException {
        byte[] needle = ("POD_IP=" + ip + "\0").getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> contains(p.resolve("environ"), needle))
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .toList();
        }
    }

    private static boolean contains(Path environ, byte[] needle) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException | SecurityException e) {
            return false;
        }
        outer:
        for (int i = 0; i + needle.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (env[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
