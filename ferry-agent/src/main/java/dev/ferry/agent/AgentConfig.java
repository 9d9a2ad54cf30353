package dev.ferry.agent;

import dev.ferry.agent.node.MachineInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How a {@link NodeAgent} runs.
 *
 * @param nodeName          the Node's name
 * @param nodeIp            the node's InternalIP, where the kubelet endpoint listens (default 127.0.0.1)
 * @param kubeletPort       the kubelet endpoint's port; 0 = a free one (the Node reports the bound port)
 * @param stateDir          pod IP assignments and container logs; the runtime keeps its own state elsewhere
 * @param heartbeatInterval Lease renewal and node status heartbeat period (default 10 s)
 * @param capacity          the Node's capacity (= allocatable): cpu, memory, pods; default from this machine
 * @param podWorkers        how many pods sync at once (default 4)
 */
public record AgentConfig(String nodeName, String nodeIp, int kubeletPort, Path stateDir, Duration heartbeatInterval,
        Map<String, String> capacity, int podWorkers) {

    public AgentConfig {
        capacity = Map.copyOf(capacity);
        if (nodeName == null || nodeName.isEmpty()) {
            throw new IllegalArgumentException("node name is required");
        }
    }

    /** Defaults: 127.0.0.1, a free port, 10 s heartbeats, this machine's capacity with 110 pods, 4 workers. */
    public static AgentConfig defaults(String nodeName, Path stateDir) {
        return new AgentConfig(nodeName, "127.0.0.1", 0, stateDir, Duration.ofSeconds(10), MachineInfo.capacity(), 4);
    }

    public AgentConfig withNodeIp(String ip) {
        return new AgentConfig(nodeName, ip, kubeletPort, stateDir, heartbeatInterval, capacity, podWorkers);
    }

    public AgentConfig withKubeletPort(int port) {
        return new AgentConfig(nodeName, nodeIp, port, stateDir, heartbeatInterval, capacity, podWorkers);
    }

    public AgentConfig withHeartbeatInterval(Duration interval) {
        return new AgentConfig(nodeName, nodeIp, kubeletPort, stateDir, interval, capacity, podWorkers);
    }

    public AgentConfig withCapacity(Map<String, String> c) {
        return new AgentConfig(nodeName, nodeIp, kubeletPort, stateDir, heartbeatInterval, c, podWorkers);
    }

    public AgentConfig withPodWorkers(int workers) {
        return new AgentConfig(nodeName, nodeIp, kubeletPort, stateDir, heartbeatInterval, capacity, workers);
    }
}
