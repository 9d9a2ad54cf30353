package dev.ferry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
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
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(o.ferryJar)) {
            System.err.println("no " + o.ferryJar + ": build it with ./mvnw -q -DskipTests package -pl ferry-cli -am");
            System.exit(2);
        }
        Files.createDirectories(o.workDir);
        Path repo = o.ferryJar.toAbsolutePath().getParent().getParent().getParent();
        java.util.List<String> jvm = new java.util.ArrayList<>(Launch.launcherOptions(repo));
        jvm.addAll(o.serverJvmOptions);
        Launch launch = new Launch(o.java, o.ferryJar.toAbsolutePath(), jvm);
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
