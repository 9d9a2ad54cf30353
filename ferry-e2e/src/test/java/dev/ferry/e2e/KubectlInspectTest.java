package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code kubectl describe}, endpoints and endpoint slices of a Service whose endpoints are written by hand (a Service
 * without a selector), {@code api-resources} and {@code version}.
 */
final class KubectlInspectTest extends ClusterTest {
    /** A selector-less Service {@code db} with a hand-written Endpoints and EndpointSlice (127.244.0.7:5432). */
    private static void createManualEndpoints(String ns) throws Exception {
        cluster.namespace(ns);
        Path manifest = cluster.manifest(ns + ".yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: db
                spec:
                  ports:
                    - port: 5432
                      targetPort: 5432
                ---
                apiVersion: v1
                kind: Endpoints
                metadata:
                  name: db
                subsets:
                  - addresses:
                      - ip: 127.244.0.7
                    ports:
                      - port: 5432
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: db-1
                  labels:
                    kubernetes.io/service-name: db
                addressType: IPv4
                ports:
                  - name: ""
                    protocol: TCP
                    port: 5432
                endpoints:
                  - addresses:
                      - 127.244.0.7
                    conditions:
                      ready: true
                """);
        assertThat(cluster.ok("create", "-f", manifest.toString(), "-n", ns).out()).isEqualTo("""
                service/db created
                endpoints/db created
                endpointslice.discovery.k8s.io/db-1 created
                """);
    }

    @Test
    void describeServiceShowsNameSelectorIpEndpointsAndEvents() throws Exception {
        cluster.namespace("describe-seed");
        cluster.ok("create", "-f", Cluster.resource("my-service.yaml").toString(), "-n", "describe-seed");
        String ip = cluster.get("describe-seed", "service", "my-service").path("spec").path("clusterIP").asString();

        String out = cluster.ok("describe", "service", "my-service", "-n", "describe-seed").out();
        assertThat(out).containsPattern("(?m)^Name:\\s+my-service$")
                .containsPattern("(?m)^Namespace:\\s+describe-seed$")
                .containsPattern("(?m)^Selector:\\s+app=MyApp$")
                .containsPattern("(?m)^Type:\\s+ClusterIP$")
                .containsPattern("(?m)^IP:\\s+" + ip.replace(".", "\\.") + "$")
                .containsPattern("(?m)^Port:\\s+<unset>\\s+80/TCP$")
                .containsPattern("(?m)^TargetPort:\\s+9376/TCP$")
                // no pod matches: "<none>" before the EndpointSlice controller wrote the placeholder slice, blank after
                .containsPattern("(?m)^Endpoints:[ \\t]*(<none>)?$")
                .containsPattern("(?m)^Events:\\s+<none>$");
    }

    @Test
    void describeServiceReadsItsEndpointSlices() throws Exception {
        createManualEndpoints("describe-slices");

        String out = cluster.ok("describe", "service", "db", "-n", "describe-slices").out();
        assertThat(out).containsPattern("(?m)^Name:\\s+db$")
                .containsPattern("(?m)^Selector:\\s+<none>$")
                .containsPattern("(?m)^Endpoints:\\s+127\\.244\\.0\\.7:5432$")
                .containsPattern("(?m)^Events:");
    }

    @Test
    void getEndpointsShowsTheAddresses() throws Exception {
        createManualEndpoints("get-endpoints");

        List<String> lines = cluster.ok("get", "endpoints", "-n", "get-endpoints").out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("NAME\\s+ENDPOINTS\\s+AGE");
        assertThat(lines.get(1)).matches("db\\s+127\\.244\\.0\\.7:5432\\s+\\d+s");
        JsonNode ep = cluster.get("get-endpoints", "endpoints", "db");
        assertThat(ep.path("subsets").get(0).path("addresses").get(0).path("ip").asString()).isEqualTo("127.244.0.7");
    }

    @Test
    void getEndpointSlicesShowsTypePortsAndAddresses() throws Exception {
        createManualEndpoints("get-slices");

        List<String> lines = cluster.ok("get", "endpointslices", "-n", "get-slices").out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("NAME\\s+ADDRESSTYPE\\s+PORTS\\s+ENDPOINTS\\s+AGE");
        assertThat(lines.get(1)).matches("db-1\\s+IPv4\\s+5432\\s+127\\.244\\.0\\.7\\s+\\d+s");
        assertThat(cluster.ok("get", "endpointslices", "-n", "get-slices",
                "-l", "kubernetes.io/service-name=db", "-o", "name").out())
                .isEqualTo("endpointslice.discovery.k8s.io/db-1\n");
    }

    @Test
    void apiResourcesListsServicesWithShortNameSvc() throws Exception {
        String out = cluster.ok("api-resources").out();
        assertThat(out.lines().findFirst().orElseThrow())
                .matches("NAME\\s+SHORTNAMES\\s+APIVERSION\\s+NAMESPACED\\s+KIND");
        assertThat(out).containsPattern("(?m)^services\\s+svc\\s+v1\\s+true\\s+Service$")
                .containsPattern("(?m)^endpoints\\s+ep\\s+v1\\s+true\\s+Endpoints$")
                .containsPattern("(?m)^endpointslices\\s+discovery\\.k8s\\.io/v1\\s+true\\s+EndpointSlice$")
                .containsPattern("(?m)^deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment$")
                .containsPattern("(?m)^namespaces\\s+ns\\s+v1\\s+false\\s+Namespace$");
        assertThat(cluster.ok("get", "svc", "kubernetes", "-n", "default", "-o", "name").out())
                .isEqualTo("service/kubernetes\n");
    }

    @Test
    void versionPrintsTheServerVersion() throws Exception {
        String out = cluster.ok("version").out();
        assertThat(out).containsPattern("(?m)^Server Version: v1\\.32\\.\\d+$");
        JsonNode json = Cluster.JSON.readTree(cluster.ok("version", "-o", "json").out());
        assertThat(json.path("serverVersion").path("major").asString()).isEqualTo("1");
        assertThat(json.path("serverVersion").path("minor").asString()).isEqualTo("32");
        assertThat(json.path("serverVersion").path("gitVersion").asString()).startsWith("v1.32.");
    }
}
