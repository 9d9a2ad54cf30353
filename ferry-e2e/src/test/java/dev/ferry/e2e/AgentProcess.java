package dev.ferry.e2e;

import dev.ferry.testing.AgentReadyLine;
import dev.ferry.testing.ChildProcesses;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code ferry agent} child process: one more node (kubelet endpoint on a free port of its node address) joined to the
 * API server at a given URL, with its own data dir. Stopped by PID: SIGTERM (the agent stops its pods unless started
 * with {@code --leave-pods-running}) or SIGKILL (a crash: its pod processes keep running).
 */
public final class AgentProcess extends JarProcess {
    /** SIGKILL only 20 s after SIGTERM: the agent gives its pods 10 s to stop. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(20);
    private final String nodeName;

    private AgentProcess(Process process, String nodeName, Path dataDir, List<String> output) {
        super(process, dataDir, output, CLOSE_GRACE);
        this.nodeName = nodeName;
    }

    /**
     * Starts {@code ferry agent --server URL --data-dir dataDir --node-name nodeName --kubelet-port 0 --node-ip IP
     * extraArgs…} for {@code server}'s cluster, its node address the cluster's {@code index}-th (2 and up: 1 is
     * {@code ferry up}'s own node); returns once it is ready (its node has a pod CIDR and runs pods).
     */
    public static AgentProcess start(FerryProcess server, int index, Path dataDir, String nodeName,
            String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("agent", "--server", server.apiUrl(), "--data-dir",
                dataDir.toString(), "--node-name", nodeName, "--kubelet-port", "0", "--node-ip",
                server.network().nodeIp(index), "--proxy-healthz-port", "0", "--proxy-metrics-port", "0"));
        args.addAll(List.of(extraArgs));
        FerryJar.Started<AgentReadyLine> s = FerryJar.start(args, AgentReadyLine::parse);
        if (!s.ready().node().equals(nodeName)) {
            ChildProcesses.stop(s.process(), Duration.ofSeconds(10));
            throw new IllegalStateException("agent reported node " + s.ready().node() + ", not " + nodeName);
        }
        return new AgentProcess(s.process(), nodeName, dataDir, s.output());
    }

    public String nodeName() {
        return nodeName;
    }
}
