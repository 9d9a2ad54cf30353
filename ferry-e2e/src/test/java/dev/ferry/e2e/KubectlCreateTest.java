package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code kubectl create} of Services, and the errors the server's checks make kubectl print. */
final class KubectlCreateTest extends ClusterTest {
    @Test
    void createFromFileStoresTheDefaultedService() throws Exception {
        cluster.namespace("create-file");
        Path seed = Cluster.resource("my-service.yaml");

        assertThat(cluster.ok("create", "-f", seed.toString(), "-n", "create-file").out())
                .isEqualTo("service/my-service created\n");
        JsonNode svc = cluster.get("create-file", "service", "my-service");
        assertThat(svc.path("metadata").path("namespace").asString()).isEqualTo("create-file");
        assertThat(svc.path("spec").path("type").asString()).isEqualTo("ClusterIP");
        assertThat(svc.path("spec").path("sessionAffinity").asString()).isEqualTo("None");
        assertThat(svc.path("spec").path("selector").path("app").asString()).isEqualTo("MyApp");
        String clusterIp = svc.path("spec").path("clusterIP").asString();
        Cluster.assertServiceIp(clusterIp);
        assertThat(svc.path("spec").path("clusterIPs").get(0).asString()).isEqualTo(clusterIp);
        JsonNode port = svc.path("spec").path("ports").get(0);
        assertThat(port.path("port").asInt()).isEqualTo(80);
        assertThat(port.path("targetPort").asInt()).isEqualTo(9376);
        assertThat(port.path("protocol").asString()).isEqualTo("TCP");
        assertThat(svc.path("metadata").path("annotations")
                .has("kubectl.kubernetes.io/last-applied-configuration")).isFalse();
    }

    @Test
    void createTwiceIsAlreadyExists() throws Exception {
        cluster.namespace("create-twice");
        Path seed = Cluster.resource("my-service.yaml");
        cluster.ok("create", "-f", seed.toString(), "-n", "create-twice");
        String uid = cluster.get("create-twice", "service", "my-service").path("metadata").path("uid").asString();

        Kubectl.Result second = cluster.run("create", "-f", seed.toString(), "-n", "create-twice");
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.err()).isEqualTo("Error from server (AlreadyExists): error when creating \"" + seed
                + "\": services \"my-service\" already exists\n");
        assertThat(cluster.get("create-twice", "service", "my-service").path("metadata").path("uid").asString())
                .isEqualTo(uid);
    }

    @Test
    void twoUnnamedPortsAreInvalid() throws Exception {
        cluster.namespace("create-invalid");
        Path manifest = cluster.manifest("two-ports.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: two-ports
                spec:
                  selector:
                    app: x
                  ports:
                    - port: 80
                    - port: 81
                """);

        Kubectl.Result r = cluster.run("create", "-f", manifest.toString(), "-n", "create-invalid");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("The Service \"two-ports\" is invalid: ")
                .contains("spec.ports[0].name: Required value", "spec.ports[1].name: Required value");
        Kubectl.Result get = cluster.run("get", "service", "two-ports", "-n", "create-invalid");
        assertThat(get.err()).contains("services \"two-ports\" not found");
    }

    @Test
    void unknownFieldsAreRejectedUnderDefaultStrictValidation() throws Exception {
        cluster.namespace("create-strict");
        Path manifest = cluster.manifest("typo.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: typo
                spec:
                  selector:
                    app: x
                  ports:
                    - port: 80
                      targetport: 8080
                """);

        Kubectl.Result strict = cluster.run("create", "-f", manifest.toString(), "-n", "create-strict");
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(strict.err()).contains("Service in version \"v1\" cannot be handled as a Service: strict decoding "
                + "error: unknown field \"spec.ports[0].targetport\"");
        assertThat(cluster.run("get", "service", "typo", "-n", "create-strict").err()).contains("not found");

        Kubectl.Result warned = cluster.ok("create", "-f", manifest.toString(), "-n", "create-strict",
                "--validate=warn");
        assertThat(warned.out()).contains("service/typo created");
        assertThat(warned.err()).contains("Warning: unknown field \"spec.ports[0].targetport\"");
        assertThat(cluster.get("create-strict", "service", "typo").path("spec").path("ports").get(0)
                .has("targetport")).isFalse();
    }

    @Test
    void aTakenClusterIpIsRejected() throws Exception {
        cluster.namespace("create-taken");
        cluster.ok("create", "-f", Cluster.resource("my-service.yaml").toString(), "-n", "create-taken");
        String taken = cluster.get("create-taken", "service", "my-service").path("spec").path("clusterIP").asString();
        Path manifest = cluster.manifest("taken.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: second
                spec:
                  clusterIP: %s
                  ports:
                    - port: 80
                """.formatted(taken));

        Kubectl.Result r = cluster.run("create", "-f", manifest.toString(), "-n", "create-taken");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("The Service \"second\" is invalid: spec.clusterIPs: Invalid value: [\""
                + taken + "\"]: failed to allocate IP " + taken + ": provided IP is already allocated\n");
        assertThat(cluster.run("get", "service", "second", "-n", "create-taken").err())
                .contains("services \"second\" not found");
    }

    @Test
    void createServiceNodePortAllocatesANodePort() throws Exception {
        cluster.namespace("create-np");

        assertThat(cluster.ok("create", "service", "nodeport", "np1", "--tcp=80:8080", "-n", "create-np").out())
                .isEqualTo("service/np1 created\n");
        JsonNode svc = cluster.get("create-np", "service", "np1");
        assertThat(svc.path("spec").path("type").asString()).isEqualTo("NodePort");
        Cluster.assertServiceIp(svc.path("spec").path("clusterIP").asString());
        JsonNode port = svc.path("spec").path("ports").get(0);
        assertThat(port.path("name").asString()).isEqualTo("80-8080");
        assertThat(port.path("port").asInt()).isEqualTo(80);
        assertThat(port.path("targetPort").asInt()).isEqualTo(8080);
        assertThat(port.path("nodePort").asInt()).isBetween(30000, 32767);
        assertThat(svc.path("spec").path("selector").path("app").asString()).isEqualTo("np1");

        assertThat(cluster.ok("get", "service", "np1", "-n", "create-np").out())
                .containsPattern("np1\\s+NodePort\\s+"
                        + java.util.regex.Pattern.quote(svc.path("spec").path("clusterIP").asString()) + "\\s+<none>\\s+80:"
                        + port.path("nodePort").asInt() + "/TCP\\s+\\d+s");
    }
}
