package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Pod benchmarks (issue 3, "Performance"): endpoint programming latency with simulated pods
 * ({@link EndpointBench}), pod start → Ready with the process runtime ({@link PodStartBench}), and agent memory per
 * idle pod ({@link AgentMemoryBench}). Starts Ferry as separate processes on loopback with data directories under
 * {@code --work-dir}, stops them by PID, prints a Markdown table. Exit status 0 even when targets are missed; 1 on
 * a harness failure, 2 on a usage error. See ferry-bench/README.md.
 */
public final class PodLoad {
    private PodLoad() {
    }

    public static void main(String[] args) throws Exception {
        PodOptions o;
        Launch launch;
        try {
            o = PodOptions.parse(args);
            launch = Launch.forJar(o.java, o.ferryJar, o.ferryJvmOptions);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(o.workDir);
        Report report = new Report();
        long t0 = System.nanoTime();
        String load0 = loadAverage();
        if (o.phases.contains("endpoints")) {
            new EndpointBench(o, launch, report).run();
        }
        if (o.phases.contains("podstart")) {
            new PodStartBench(o, launch, report).run();
        }
        if (o.phases.contains("memory")) {
            new AgentMemoryBench(o, launch, report).run("simulated", o.simulatedPods);
            new AgentMemoryBench(o, launch, report).run("process", o.processPods);
        }
        report.note("run " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + System.getProperty("java.vm.name") + " " + Runtime.version() + ", harness "
                + Report.f((System.nanoTime() - t0) / 1e9) + " s; load average before / after: " + load0 + " / "
                + loadAverage());
        String table = report.markdown();
        System.out.println();
        System.out.println(table);
        if (o.out != null) {
            Files.writeString(o.out, table);
        }
        System.exit(0);
    }

    /** Deletes {@code dir} (a previous run's data) if present. */
    static void clean(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }
}
