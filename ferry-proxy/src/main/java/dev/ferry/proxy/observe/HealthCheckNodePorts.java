package dev.ferry.proxy.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.proxy.sync.HealthChecks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-proxy's service health-check server: for each externalTrafficPolicy Local load-balancer Service an HTTP server
 * on its healthCheckNodePort (on every node address) answering any path with 200 when the node has ready endpoints
 * of the Service and the proxy is healthy, else 503, with kube-proxy's JSON body and headers.
 */
public final class HealthCheckNodePorts implements HealthChecks, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthCheckNodePorts.class);
    private final List<InetAddress> nodeIps;
    private final BooleanSupplier proxyHealthy;
    private final Executor executor;
    private final Map<Integer, List<HttpServer>> servers = new HashMap<>();
    private final Map<Integer, Target> targets = new ConcurrentHashMap<>();

    public HealthCheckNodePorts(List<InetAddress> nodeIps, BooleanSupplier proxyHealthy, Executor executor) {
        this.nodeIps = List.copyOf(nodeIps);
        this.proxyHealthy = proxyHealthy;
        this.executor = executor;
    }

    @Override
    public synchronized void sync(Map<Integer, Target> byPort) {
        targets.keySet().retainAll(byPort.keySet());
        targets.putAll(byPort);
        servers.entrySet().removeIf(e -> {
            if (byPort.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().forEach(s -> s.stop(0));
            return true;
        });
        for (int port : byPort.keySet()) {
            if (servers.getOrDefault(port, List.of()).isEmpty()) {
                // a port that could not be bound before is tried again on every sync
                servers.put(port, start(port));
            }
        }
    }

    private List<HttpServer> start(int port) {
        List<HttpServer> started = new java.util.ArrayList<>();
        for (InetAddress ip : nodeIps) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress(ip, port), 64);
                s.createContext("/", ex -> answer(ex, port));
                s.setExecutor(executor);
                s.start();
                started.add(s);
            } catch (IOException e) {
                log.warn("health check node port {}:{} not served: {}", ip.getHostAddress(), port, e.toString());
            }
        }
        return started;
    }

    private void answer(HttpExchange ex, int port) throws IOException {
        try (ex) {
            Target t = targets.get(port);
            int local = t == null ? 0 : t.localEndpoints();
            boolean healthy = proxyHealthy.getAsBoolean();
            String body = "{\"service\":{\"namespace\":\"" + (t == null ? "" : t.namespace()) + "\",\"name\":\""
                    + (t == null ? "" : t.name()) + "\"},\"localEndpoints\":" + local + ",\"serviceProxyHealthy\":"
                    + healthy + "}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("X-Load-Balancing-Endpoint-Weight", Integer.toString(local));
            ex.sendResponseHeaders(local > 0 && healthy ? 200 : 503, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public synchronized void close() {
        servers.values().forEach(list -> list.forEach(s -> s.stop(0)));
        servers.clear();
    }
}
