package dev.ferry.bench;

import java.nio.file.Files;
import java.time.LocalDate;

/**
 * Load harness for the API server: starts {@code ferry up} as a separate process per measurement, drives it over
 * HTTP/1.1 on loopback with the JDK HttpClient, and prints a Markdown table of measured values against the targets.
 * See ferry-bench/README.md for what each row means. Exit status 0 even when targets are missed; 1 on a harness
 * failure, 2 on a usage error.
 */
public final class ApiLoad {
    private ApiLoad() {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        Launch launch;
        try {
            o = Options.parse(args);
            launch = Launch.forJar(o.java, o.ferryJar, o.serverJvmOptions);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(o.workDir);
        Report report = new Report();
        long t0 = System.nanoTime();
        for (String store : o.stores) {
            new StoreRun(o, store, report, launch).run();
        }
        report.note("run " + LocalDate.now() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + System.getProperty("java.vm.name") + " " + Runtime.version() + ", harness "
                + Report.f((System.nanoTime() - t0) / 1e9) + " s");
        String table = report.markdown();
        System.out.println();
        System.out.println(table);
        if (o.out != null) {
            Files.writeString(o.out, table);
        }
        System.exit(0);
    }
}
