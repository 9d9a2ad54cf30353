package dev.ferry.agent.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a runtime needs to start one container attempt; the pod manager has already resolved it: {@code command}
 * and {@code args} are the container's fields with {@code $(VAR)} references expanded (empty = the image's default),
 * {@code env} is the complete, ordered environment (service links, downward API, POD_IP ...).
 *
 * @param podUid       the pod's metadata.uid
 * @param attempt      0 for the first start, then the restart count
 * @param image        the container's image reference as written in the pod
 * @param workingDir   "" for the runtime's default
 * @param podIp        the pod's IP, which the container's servers bind
 * @param logFile      where stdout and stderr go (created by the runtime, parents included)
 * @param resolvConf   the pod's resolv.conf, which the container should see as /etc/resolv.conf; null = the node's
 */
public record ContainerLaunch(String podUid, String namespace, String podName, String containerName, int attempt,
        String image, List<String> command, List<String> args, Map<String, String> env, String workingDir,
        String podIp, Path logFile, Path resolvConf) {
    public ContainerLaunch {
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    }

    /** A launch on the node's resolv.conf. */
    public ContainerLaunch(String podUid, String namespace, String podName, String containerName, int attempt,
            String image, List<String> command, List<String> args, Map<String, String> env, String workingDir,
            String podIp, Path logFile) {
        this(podUid, namespace, podName, containerName, attempt, image, command, args, env, workingDir, podIp,
                logFile, null);
    }

    /** This launch with the pod's resolv.conf {@code file} (null = the node's). */
    public ContainerLaunch withResolvConf(Path file) {
        return new ContainerLaunch(podUid, namespace, podName, containerName, attempt, image, command, args, env,
                workingDir, podIp, logFile, file);
    }
}
