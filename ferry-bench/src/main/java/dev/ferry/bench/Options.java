package dev.ferry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options of {@link ApiLoad}; {@code --name value} pairs, defaults as in ferry-bench/README.md. */
final class Options {
    List<String> stores = List.of("sqlite", "etcd");
    /** {@code startup} (ready time of repeated start-ups) and {@code load} (everything else, one server). */
    List<String> phases = List.of("startup", "load");
    Path ferryJar = Path.of("ferry-cli/target/ferry.jar");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path workDir = Path.of("ferry-bench/target/bench-work");
    Path out;
    List<String> serverJvmOptions = List.of();
    int clients = 32;
    int warmupCreates = 1_000;
    int creates = 20_000;
    int singleClientCreates = 1_000;
    int gets = 50_000;
    int singleClientGets = 5_000;
    int listIterations = 20;
    int pagedListIterations = 10;
    int pageLimit = 500;
    int watchers = 100;
    int watchEvents = 1_000;
    int watchRate = 50;
    int startupRuns = 5;
    int idleSeconds = 10;
    int phaseCapSeconds = 180;

    static final String USAGE = """
            usage: ApiLoad [--store sqlite,etcd] [--phases startup,load] [--ferry-jar ferry-cli/target/ferry.jar] [--out results.md]
                           [--clients 32] [--creates 20000] [--gets 50000] [--list-iterations 20]
                           [--watchers 100] [--watch-events 1000] [--watch-rate 50] [--startup-runs 5]
                           [--idle-seconds 10] [--server-jvm-option -XX:...]... [--quick]
            --creates is split over two namespaces; each is listed, so the list size is creates/2.
            --quick: small numbers, a smoke run of every phase in well under a minute per store.""";

    static Options parse(String[] args) {
        Options o = new Options();
        List<String> jvm = new ArrayList<>();
        Flags.parse(args, USAGE, o::quick, (flag, v) -> {
            switch (flag) {
                case "--store" -> o.stores = Arrays.asList(v.split(","));
                case "--phases" -> o.phases = Arrays.asList(v.split(","));
                case "--ferry-jar" -> o.ferryJar = Path.of(v);
                case "--java" -> o.java = Path.of(v);
                case "--work-dir" -> o.workDir = Path.of(v);
                case "--out" -> o.out = Path.of(v);
                case "--server-jvm-option" -> jvm.add(v);
                case "--clients" -> o.clients = Flags.positive(flag, v);
                case "--warmup-creates" -> o.warmupCreates = Flags.positive(flag, v);
                case "--creates" -> o.creates = Flags.positive(flag, v);
                case "--single-client-creates" -> o.singleClientCreates = Flags.positive(flag, v);
                case "--gets" -> o.gets = Flags.positive(flag, v);
                case "--single-client-gets" -> o.singleClientGets = Flags.positive(flag, v);
                case "--list-iterations" -> o.listIterations = Flags.positive(flag, v);
                case "--paged-list-iterations" -> o.pagedListIterations = Flags.positive(flag, v);
                case "--page-limit" -> o.pageLimit = Flags.positive(flag, v);
                case "--watchers" -> o.watchers = Flags.positive(flag, v);
                case "--watch-events" -> o.watchEvents = Flags.positive(flag, v);
                case "--watch-rate" -> o.watchRate = Flags.positive(flag, v);
                case "--startup-runs" -> o.startupRuns = Flags.positive(flag, v);
                case "--idle-seconds" -> o.idleSeconds = Flags.positive(flag, v);
                case "--phase-cap-seconds" -> o.phaseCapSeconds = Flags.positive(flag, v);
                default -> throw Flags.unknown(flag, USAGE);
            }
        });
        for (String s : o.stores) {
            if (!s.equals("sqlite") && !s.equals("etcd")) {
                throw new IllegalArgumentException("--store: sqlite or etcd, not " + s);
            }
        }
        for (String p : o.phases) {
            if (!p.equals("startup") && !p.equals("load")) {
                throw new IllegalArgumentException("--phases: startup and/or load, not " + p);
            }
        }
        o.serverJvmOptions = List.copyOf(jvm);
        return o;
    }

    private void quick() {
        warmupCreates = 200;
        creates = 2_000;
        singleClientCreates = 200;
        gets = 5_000;
        singleClientGets = 500;
        listIterations = 3;
        pagedListIterations = 2;
        watchers = 20;
        watchEvents = 100;
        startupRuns = 2;
        idleSeconds = 2;
    }
}
