package dev.ferry.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code ferry warmup}: a short, representative run (a cluster on a temporary data dir, on a free loopback port, and
 * the requests kubectl makes first) for the launcher to record the JVM's ahead-of-time cache from. Not for users.
 */
final class WarmupCommand extends Command {
    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    private static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    WarmupCommand() {
        super("warmup", "Exercise start-up and common requests, then exit.", true);
    }

    @Override
    void run() throws Exception {
        Path dir = Files.createTempDirectory("ferry-warmup");
        ServerOptions o = new ServerOptions();
        o.dataDir = dir;
        o.apiPort = 0;
        AgentOptions agent = new AgentOptions();
        agent.nodeName = "warmup";
        agent.kubeletPort = 0;
        agent.runtime = AgentOptions.RuntimeKind.simulated;
        // addresses of its own, so that a cluster running on this machine is not disturbed
        o.serviceCidr = "127.95.0.0/24";
        ProxyOptions proxy = new ProxyOptions();
        proxy.healthzPort = 0;
        proxy.metricsPort = 0;
        DnsOptions dns = new DnsOptions();
        dns.address = "127.95.0.10:0";
        dns.metricsPort = -1;
        dns.upstreams = java.util.List.of("none");
        Cluster cluster = Cluster.start(o, new ControllerOptions(), agent, proxy, dns, "cluster.local",
                "Ferry warm-up cluster is ready");
        try {
            exercise(cluster.apiUrl());
        } finally {
            cluster.stop();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void exercise(String api) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String svcs = api + "/api/v1/namespaces/default/services";
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"warmup\",\"labels\":"
                + "{\"app\":\"warmup\"}},\"spec\":{\"selector\":{\"app\":\"warmup\"},\"ports\":[{\"port\":80,"
                + "\"targetPort\":8080}]}}";
        send(http, get(api + "/version", "application/json"));
        send(http, get(api + "/api", AGGREGATED));
        send(http, get(api + "/apis", AGGREGATED));
        send(http, get(api + "/openapi/v3", "application/json"));
        send(http, write("POST", svcs + "?fieldManager=kubectl-client-side-apply&fieldValidation=Strict",
                "application/json", body));
        send(http, write("PATCH", svcs + "/warmup?fieldManager=kubectl-label", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"v\":\"1\"}}}"));
        send(http, write("PATCH", svcs + "/warmup?fieldManager=kubectl&force=false", "application/apply-patch+yaml",
                body.replace("8080", "8081")));
        send(http, get(svcs + "?limit=500", TABLE));
        send(http, get(svcs + "/warmup", "application/json"));
        send(http, get(svcs + "?watch=true&timeoutSeconds=1", TABLE));
        send(http, write("DELETE", svcs + "/warmup", "application/json", "{\"propagationPolicy\":\"Background\"}"));
    }

    private static HttpRequest get(String url, String accept) {
        return HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).GET().build();
    }

    private static HttpRequest write(String method, String url, String contentType, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static void send(HttpClient http, HttpRequest req) throws IOException, InterruptedException {
        http.send(req, HttpResponse.BodyHandlers.discarding());
    }
}
