package dev.ferry.bench;

import dev.ferry.testing.ReadyLine;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Agent memory per idle running pod: {@code ferry server} and one {@code ferry agent} as separate processes; the
 * agent's RSS and its Java heap after a full GC ({@code jcmd PID GC.run}, then {@code GC.heap_info}) with no pod
 * and with N Ready pods of one Deployment; (with − without) / N. The pods' own processes are not in the agent's
 * RSS (they are separate processes).
 */
final class AgentMemoryBench {
    private static final Pattern AGENT_READY = Pattern.compile("^Ferry agent is ready \\((\\d+) ms\\): node \\S+, "
            + "API (\\S+)");
    private static final String NS = "mem";
    private final PodOptions o;
    private final Launch launch;
    private final Report report;

    AgentMemoryBench(PodOptions o, Launch launch, Report report) {
        this.o = o;
        this.launch = launch;
        this.report = report;
    }

    /** The agent's ready line as a {@link ReadyLine} (no kubeconfig). */
    static Optional<ReadyLine> agentReady(String line) {
        Matcher m = AGENT_READY.matcher(line);
        return m.find() ? Optional.of(new ReadyLine(URI.create(m.group(2)), null, Long.parseLong(m.group(1))))
                : Optional.empty();
    }

    void run(String runtime, int pods) throws Exception {
        Path dir = o.workDir.resolve("memory-" + runtime);
        PodLoad.clean(dir);
        java.nio.file.Files.createDirectories(dir);
        int mask = PodOptions.nodeMaskFor(pods);
        String col = "agent memory (" + runtime + " runtime)";
        try (FerryProcess server = FerryProcess.spawn(launch, List.of("server", "--data-dir",
                dir.resolve("server").toString(), "--api-host", "127.0.0.1", "--api-port", "0",
                "--node-cidr-mask-size", Integer.toString(mask)), dir.resolve("server.log"), ReadyLine::parse,
                Duration.ofSeconds(120));
             FerryProcess agent = FerryProcess.spawn(launch, List.of("agent", "--server", server.api().toString(),
                     "--runtime", runtime, "--node-name", "mem-" + runtime, "--kubelet-port", "0", "--data-dir",
                     dir.resolve("agent").toString(), "--max-pods", Integer.toString(pods * 2)),
                     dir.resolve("agent.log"), AgentMemoryBench::agentReady, Duration.ofSeconds(120))) {
            Kube kube = new Kube(server.api());
            kube.createNamespace(NS);
            Thread.sleep(5_000);
            long[] idle = measure(agent);
            long t0 = System.nanoTime();
            kube.create("/apis/apps/v1/namespaces/" + NS + "/deployments", PodJson.deployment("mem", pods));
            int ready = awaitReady(kube, pods, Duration.ofSeconds(o.phaseCapSeconds));
            double startS = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(10_000);
            long[] loaded = measure(agent);
            report.put(col, "agent: time to %d Ready pods (s)".formatted(pods), "—", Report.f(startS)
                    + (ready < pods ? " (only " + ready + " Ready)" : ""), ready < pods ? false : null);
            report.put(col, "agent RSS: 0 pods / %d pods (MiB)".formatted(ready), "—",
                    Report.f(idle[0] / 1024.0) + " / " + Report.f(loaded[0] / 1024.0), null);
            report.put(col, "agent heap after full GC: 0 pods / %d pods (MiB)".formatted(ready), "—",
                    Report.f(idle[1] / 1024.0) + " / " + Report.f(loaded[1] / 1024.0), null);
            double rssPer = (loaded[0] - idle[0]) / (double) Math.max(1, ready);
            double heapPer = (loaded[1] - idle[1]) / (double) Math.max(1, ready);
            report.put(col, "agent memory per idle pod: heap after full GC / RSS (KiB)", "≤ 1,024",
                    Report.f(heapPer) + " / " + Report.f(rssPer), Math.max(heapPer, rssPer) <= 1024);
            kube.delete("/apis/apps/v1/namespaces/" + NS + "/deployments/mem");
            for (JsonNode rs : kube.get("/apis/apps/v1/namespaces/" + NS + "/replicasets").path("items")) {
                kube.delete("/apis/apps/v1/namespaces/" + NS + "/replicasets/" + PodJson.name(rs));
            }
            awaitNoPods(kube, Duration.ofSeconds(120));
        }
    }

    /** {RSS KiB, heap used KiB} after two full GCs. */
    private long[] measure(FerryProcess agent) throws IOException, InterruptedException {
        jcmd(agent.pid(), "GC.run");
        jcmd(agent.pid(), "GC.run");
        HeapInfo heap = HeapInfo.parse(jcmd(agent.pid(), "GC.heap_info"));
        return new long[] {agent.rssKib(), heap.heapUsedKib()};
    }

    private String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = launch.java().resolveSibling("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + ": " + out);
        }
        return out;
    }

    private static int awaitReady(Kube kube, int pods, Duration cap) throws Exception {
        long deadline = System.nanoTime() + cap.toNanos();
        int ready = 0;
        while (System.nanoTime() < deadline) {
            ready = 0;
            for (JsonNode p : kube.get("/api/v1/namespaces/" + NS + "/pods").path("items")) {
                if (PodJson.ready(p)) {
                    ready++;
                }
            }
            if (ready >= pods) {
                break;
            }
            Thread.sleep(2_000);
        }
        return ready;
    }

    private static void awaitNoPods(Kube kube, Duration cap) throws Exception {
        long deadline = System.nanoTime() + cap.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode items = kube.get("/api/v1/namespaces/" + NS + "/pods").path("items");
            if (items.isEmpty()) {
                return;
            }
            for (JsonNode p : items) {
                if (p.path("metadata").path("deletionTimestamp").isMissingNode()) {
                    kube.delete("/api/v1/namespaces/" + NS + "/pods/" + PodJson.name(p));
                }
            }
            Thread.sleep(1_000);
        }
    }
}
