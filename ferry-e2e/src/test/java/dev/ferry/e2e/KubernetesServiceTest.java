package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The API server is the endpoint of the {@code default/kubernetes} Service, as in Kubernetes: kubectl shows its
 * address and real port, and the service proxy carries a request to the Service's ClusterIP:443 to it.
 */
final class KubernetesServiceTest extends ClusterTest {

    private static int apiPort() {
        return URI.create(cluster.ferry().apiUrl()).getPort();
    }

    @Test
    void endpointsListTheApiServer() throws Exception {
        int port = apiPort();
        AtomicReference<JsonNode> endpoints = new AtomicReference<>();
        eventually().until(() -> {
            endpoints.set(Cluster.JSON.readTree(cluster.ok("get", "endpoints", "kubernetes", "-o", "json").out()));
            return endpoints.get().at("/subsets/0/ports/0/port").asInt() == port;
        });
        JsonNode subsets = endpoints.get().path("subsets");
        assertThat(subsets).hasSize(1);
        assertThat(subsets.at("/0/addresses")).hasSize(1);
        assertThat(subsets.at("/0/addresses/0/ip").asString()).isEqualTo("127.0.0.1");
        assertThat(subsets.at("/0/ports/0/name").asString()).isEqualTo("https");
        assertThat(subsets.at("/0/ports/0/protocol").asString()).isEqualTo("TCP");

        JsonNode slice = cluster.get("default", "endpointslice", "kubernetes");
        assertThat(slice.path("addressType").asString()).isEqualTo("IPv4");
        assertThat(slice.at("/endpoints/0/addresses/0").asString()).isEqualTo("127.0.0.1");
        assertThat(slice.at("/ports/0/port").asInt()).isEqualTo(port);
        assertThat(cluster.get("default", "service", "kubernetes").at("/spec/ports/0/targetPort").asInt())
                .isEqualTo(port);
    }

    @Test
    void clusterIpReachesTheApiServerThroughTheProxy() throws Exception {
        String clusterIp = cluster.ok("get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}").out()
                .strip();
        Cluster.assertServiceIp(clusterIp);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String direct = http.send(HttpRequest.newBuilder(URI.create(cluster.ferry().apiUrl() + "/version")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode version = Cluster.JSON.readTree(direct);
        assertThat(version.path("gitVersion").asString()).isNotEmpty();
        AtomicReference<HttpResponse<String>> viaProxy = new AtomicReference<>();
        eventually().until(() -> {
            viaProxy.set(http.send(HttpRequest.newBuilder(URI.create("http://" + clusterIp + ":443/version"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
            return viaProxy.get().statusCode() == 200;
        });
        assertThat(Cluster.JSON.readTree(viaProxy.get().body())).isEqualTo(version);
    }
}
