package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Deployments through kubectl: {@code create deployment} (a protobuf body in 1.32), {@code scale}, {@code expose}. */
final class KubectlWorkloadTest extends ClusterTest {
    private static void createDeployment(String ns, String name, int replicas) throws Exception {
        cluster.namespace(ns);
        assertThat(cluster.ok("create", "deployment", name, "--image=nginx", "--replicas=" + replicas, "--port=8080",
                "-n", ns).out()).isEqualTo("deployment.apps/" + name + " created\n");
    }

    @Test
    void createDeploymentStoresTheDecodedObject() throws Exception {
        createDeployment("deploy-create", "web", 2);

        JsonNode d = cluster.get("deploy-create", "deployment", "web");
        assertThat(d.path("apiVersion").asString()).isEqualTo("apps/v1");
        assertThat(d.path("kind").asString()).isEqualTo("Deployment");
        assertThat(d.path("metadata").path("labels").path("app").asString()).isEqualTo("web");
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(d.path("spec").path("selector").path("matchLabels").path("app").asString()).isEqualTo("web");
        JsonNode template = d.path("spec").path("template");
        assertThat(template.path("metadata").path("labels").path("app").asString()).isEqualTo("web");
        JsonNode container = template.path("spec").path("containers").get(0);
        assertThat(container.path("name").asString()).isEqualTo("nginx");
        assertThat(container.path("image").asString()).isEqualTo("nginx");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(d.path("metadata").path("generateName").isMissingNode())
                .as("no empty Go zero values are stored: %s", d.path("metadata")).isTrue();
        assertThat(cluster.ok("get", "deployments", "-n", "deploy-create").out().lines().findFirst().orElseThrow())
                .matches("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE");
    }

    @Test
    void scaleChangesTheStoredReplicas() throws Exception {
        createDeployment("deploy-scale", "web", 1);

        assertThat(cluster.ok("scale", "deployment", "web", "--replicas=5", "-n", "deploy-scale").out())
                .isEqualTo("deployment.apps/web scaled\n");
        assertThat(cluster.get("deploy-scale", "deployment", "web").path("spec").path("replicas").asInt())
                .isEqualTo(5);

        assertThat(cluster.ok("scale", "deployment", "web", "--current-replicas=5", "--replicas=3",
                "-n", "deploy-scale").out()).isEqualTo("deployment.apps/web scaled\n");
        assertThat(cluster.get("deploy-scale", "deployment", "web").path("spec").path("replicas").asInt())
                .isEqualTo(3);
        Kubectl.Result stale = cluster.run("scale", "deployment", "web", "--current-replicas=5", "--replicas=4",
                "-n", "deploy-scale");
        assertThat(stale.exit()).isEqualTo(1);
        assertThat(stale.err()).contains("Expected replicas to be 5, was 3");
        assertThat(cluster.get("deploy-scale", "deployment", "web").path("spec").path("replicas").asInt())
                .isEqualTo(3);
    }

    @Test
    void exposeDeploymentAsNodePort() throws Exception {
        createDeployment("expose-np", "web", 1);

        assertThat(cluster.ok("expose", "deployment", "web", "--port=80", "--target-port=8080", "--type=NodePort",
                "-n", "expose-np").out()).isEqualTo("service/web exposed\n");
        JsonNode svc = cluster.get("expose-np", "service", "web");
        assertThat(svc.path("spec").path("type").asString()).isEqualTo("NodePort");
        assertThat(svc.path("spec").path("selector").path("app").asString()).isEqualTo("web");
        Cluster.assertServiceIp(svc.path("spec").path("clusterIP").asString());
        JsonNode port = svc.path("spec").path("ports").get(0);
        assertThat(port.path("port").asInt()).isEqualTo(80);
        assertThat(port.path("targetPort").asInt()).isEqualTo(8080);
        assertThat(port.path("protocol").asString()).isEqualTo("TCP");
        assertThat(port.path("nodePort").asInt()).isBetween(30000, 32767);
        assertThat(svc.path("spec").path("externalTrafficPolicy").asString()).isEqualTo("Cluster");
    }

    @Test
    void exposeDeploymentAsClusterIp() throws Exception {
        createDeployment("expose-cip", "web", 1);

        assertThat(cluster.ok("expose", "deployment", "web", "--name=web-internal", "--port=80",
                "-n", "expose-cip").out()).isEqualTo("service/web-internal exposed\n");
        JsonNode svc = cluster.get("expose-cip", "service", "web-internal");
        assertThat(svc.path("spec").path("type").asString()).isEqualTo("ClusterIP");
        assertThat(svc.path("spec").path("selector").path("app").asString()).isEqualTo("web");
        String ip = svc.path("spec").path("clusterIP").asString();
        Cluster.assertServiceIp(ip);
        JsonNode port = svc.path("spec").path("ports").get(0);
        assertThat(port.path("port").asInt()).isEqualTo(80);
        assertThat(port.path("targetPort").asInt()).as("defaults to the port").isEqualTo(80);
        assertThat(port.has("nodePort")).isFalse();
        assertThat(cluster.ok("get", "service", "web-internal", "-n", "expose-cip").out())
                .containsPattern("web-internal\\s+ClusterIP\\s+" + ip.replace(".", "\\.") + "\\s+<none>\\s+80/TCP");
    }
}
