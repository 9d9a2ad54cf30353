package dev.ferry.agent.probe;

import dev.ferry.agent.runtime.Container;
import dev.ferry.agent.runtime.ContainerRuntime;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * Runs one probe once (kubelet pkg/probe): httpGet (2xx/3xx succeed, redirects not followed, HTTPS not verified as
 * the kubelet does), tcpSocket (a connection opens), exec (exit code 0, through the runtime). gRPC probes are not
 * supported and fail with a message saying so. Blocking, bounded by the probe's timeout; call it off the scheduler.
 */
public final class Prober {
    /** The kubelet's User-Agent for HTTP probes. */
    static final String USER_AGENT = "kube-probe/1.32";
    private final ContainerRuntime runtime;

    public Prober(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Result of one run; {@code message} explains a failure (the Unhealthy event's text after the prefix). */
    public record Outcome(boolean success, String message) {
    }

    /**
     * @param podIp the default host of httpGet and tcpSocket
     * @param ports the container's ports, for named probe ports
     */
    public Outcome run(Probe probe, String podIp, List<ContainerPort> ports, Container container, Duration timeout)
            throws InterruptedException {
        try {
            if (probe.getHttpGet() != null) {
                var h = probe.getHttpGet();
                int port = port(h.getPort(), ports);
                return http(h.getScheme(), host(h.getHost(), podIp), port, h.getPath(), h.getHttpHeaders(), timeout);
            }
            if (probe.getTcpSocket() != null) {
                var t = probe.getTcpSocket();
                return tcp(host(t.getHost(), podIp), port(t.getPort(), ports), timeout);
            }
            if (probe.getExec() != null) {
                List<String> command = probe.getExec().getCommand() == null ? List.of() : probe.getExec().getCommand();
                ContainerRuntime.ExecResult r = runtime.exec(container, command, timeout);
                if (r.exitCode() == 0) {
                    return new Outcome(true, "");
                }
                if (r.exitCode() == -1) {
                    return new Outcome(false, "command " + quoteList(command) + " timed out");
                }
                return new Outcome(false, r.output() == null || r.output().isBlank()
                        ? "command " + quoteList(command) + " exited with " + r.exitCode() : r.output().strip());
            }
            if (probe.getGrpc() != null) {
                return new Outcome(false, "gRPC probes are not supported by ferry");
            }
            return new Outcome(false, "missing probe handler");
        } catch (IllegalArgumentException e) {
            return new Outcome(false, e.getMessage());
        }
    }

    static Outcome http(String scheme, String host, int port, String path, List<HTTPHeader> headers,
            Duration timeout) {
        HttpGet.Response r = HttpGet.get(scheme, host, port, path, headers, timeout, USER_AGENT);
        if (r.error() != null) {
            return new Outcome(false, r.error());
        }
        if (r.code() >= 200 && r.code() < 400) {
            return new Outcome(true, "");
        }
        return new Outcome(false, "HTTP probe failed with statuscode: " + r.code());
    }

    static Outcome tcp(String host, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return new Outcome(true, "");
        } catch (java.net.SocketTimeoutException e) {
            return new Outcome(false, "dial tcp " + hostPort(host, port) + ": i/o timeout");
        } catch (java.net.ConnectException e) {
            return new Outcome(false, "dial tcp " + hostPort(host, port) + ": connect: connection refused");
        } catch (IOException e) {
            return new Outcome(false, "dial tcp " + hostPort(host, port) + ": " + e.getMessage());
        }
    }

    /**
     * A probe or hook port: a number, or the name of one of the container's ports.
     *
     * @throws IllegalArgumentException when there is none or no port has that name
     */
    public static int port(IntOrString port, List<ContainerPort> ports) {
        if (port == null) {
            throw new IllegalArgumentException("probe has no port");
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        String name = port.getStrVal();
        if (name != null && name.matches("\\d+")) {
            return Integer.parseInt(name);
        }
        if (ports != null) {
            for (ContainerPort p : ports) {
                if (name != null && name.equals(p.getName()) && p.getContainerPort() != null) {
                    return p.getContainerPort();
                }
            }
        }
        throw new IllegalArgumentException("couldn't find port: " + name + " in the container's ports");
    }

    private static String host(String host, String podIp) {
        return host == null || host.isEmpty() ? podIp : host;
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String quoteList(List<String> command) {
        return "[" + String.join(" ", command) + "]";
    }
}
