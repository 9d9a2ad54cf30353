package dev.ferry.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * The second octets X of the {@code 127.X.*.*} pod IPs of the processes on this machine now (whoever started
     * them), so that a new cluster can pick a pod CIDR no running pod uses.
     */
    static Set<Integer> loopbackSecondOctetsInUse() throws IOException {
        Set<Integer> out = new TreeSet<>();
        Pattern ip = Pattern.compile("(?:^|\0)POD_IP=127\\.(\\d{1,3})\\.");
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    Matcher m = ip.matcher(new String(Files.readAllBytes(p.resolve("environ")),
                            StandardCharsets.ISO_8859_1));
                    if (m.find()) {
                        out.add(Integer.parseInt(m.group(1)));
                    }
                } catch (IOException | SecurityException e) {
                    // gone, or not ours to read
                }
            });
        }
        return out;
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
