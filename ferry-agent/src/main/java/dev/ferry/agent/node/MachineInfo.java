package dev.ferry.agent.node;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Facts about this machine for the Node's capacity and nodeInfo; reads /proc and /etc where present. */
public final class MachineInfo {
    private MachineInfo() {
    }

    /** cpu (cores), memory (Ki), pods 110, as the kubelet reports them. */
    public static Map<String, String> capacity() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("cpu", Integer.toString(Runtime.getRuntime().availableProcessors()));
        long bytes = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            bytes = os.getTotalMemorySize();
        }
        c.put("memory", (bytes / 1024) + "Ki");
        c.put("pods", "110");
        return c;
    }

    /** GOARCH spelling of this machine's architecture ("amd64", "arm64"). */
    public static String arch() {
        String arch = System.getProperty("os.arch", "amd64");
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    public static String os() {
        String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
        return os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "windows" : os;
    }

    static String osImage() {
        for (String line : lines(Path.of("/etc/os-release"))) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return System.getProperty("os.name", "Linux");
    }

    static String machineId() {
        return first(Path.of("/etc/machine-id"));
    }

    static String bootId() {
        return first(Path.of("/proc/sys/kernel/random/boot_id"));
    }

    private static String first(Path p) {
        var l = lines(p);
        return l.isEmpty() ? "" : l.get(0).strip();
    }

    private static java.util.List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return java.util.List.of();
        }
    }
}
