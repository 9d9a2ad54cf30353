package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code kubectl get} of Services: the table, yaml and json output, label selectors and watch. */
final class KubectlGetTest extends ClusterTest {
    private static final String HEADER = "NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE";

    private static String createSeed(String ns) throws Exception {
        cluster.namespace(ns);
        cluster.ok("create", "-f", Cluster.resource("my-service.yaml").toString(), "-n", ns);
        return cluster.get(ns, "service", "my-service").path("spec").path("clusterIP").asString();
    }

    private static void createLabelled(String ns, String name, String app) throws Exception {
        Path manifest = cluster.manifest(ns + "-" + name + ".yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  labels:
                    app: %s
                spec:
                  selector:
                    app: %s
                  ports:
                    - port: 80
                """.formatted(name, app, app));
        assertThat(cluster.ok("create", "-f", manifest.toString(), "-n", ns).out())
                .isEqualTo("service/" + name + " created\n");
    }

    @Test
    void tableHasTheServiceColumnsAndValues() throws Exception {
        String ip = createSeed("get-table");

        List<String> lines = cluster.ok("get", "services", "-n", "get-table").out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches(HEADER);
        assertThat(lines.get(1)).matches("my-service\\s+ClusterIP\\s+" + ip.replace(".", "\\.")
                + "\\s+<none>\\s+80/TCP\\s+\\d+s");
        int typeColumn = lines.get(0).indexOf("TYPE");
        assertThat(lines.get(1).indexOf("ClusterIP")).as("columns are aligned").isEqualTo(typeColumn);
    }

    @Test
    void yamlOutputShowsTheStoredObject() throws Exception {
        String ip = createSeed("get-yaml");

        String yaml = cluster.ok("get", "service", "my-service", "-n", "get-yaml", "-o", "yaml").out();
        assertThat(yaml).startsWith("apiVersion: v1\n").contains(
                "\nkind: Service\n",
                "\n  name: my-service\n",
                "\n  namespace: get-yaml\n",
                "\n  clusterIP: " + ip + "\n",
                "\n  - port: 80\n    protocol: TCP\n    targetPort: 9376\n",
                "\n  selector:\n    app: MyApp\n",
                "\n  type: ClusterIP\n");
    }

    @Test
    void jsonOutputOfAListHasTheItems() throws Exception {
        String ip = createSeed("get-json");

        JsonNode list = Cluster.JSON.readTree(cluster.ok("get", "services", "-n", "get-json", "-o", "json").out());
        assertThat(list.path("kind").asString()).isEqualTo("List");
        assertThat(list.path("items").size()).isEqualTo(1);
        JsonNode item = list.path("items").get(0);
        assertThat(item.path("kind").asString()).isEqualTo("Service");
        assertThat(item.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(item.path("metadata").path("name").asString()).isEqualTo("my-service");
        assertThat(item.path("metadata").path("uid").asString()).isNotBlank();
        assertThat(item.path("metadata").path("creationTimestamp").asString())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(item.path("spec").path("clusterIP").asString()).isEqualTo(ip);
    }

    @Test
    void labelSelectorFiltersTheList() throws Exception {
        cluster.namespace("get-selector");
        createLabelled("get-selector", "front", "web");
        createLabelled("get-selector", "back", "db");
        createLabelled("get-selector", "cache", "redis");

        assertThat(names("get", "services", "-n", "get-selector", "-l", "app=web")).containsExactly("front");
        assertThat(names("get", "services", "-n", "get-selector", "-l", "app!=web"))
                .containsExactly("back", "cache");
        assertThat(names("get", "services", "-n", "get-selector", "-l", "app in (db,redis)"))
                .containsExactly("back", "cache");
        Kubectl.Result none = cluster.ok("get", "services", "-n", "get-selector", "-l", "app=nothing");
        assertThat(none.err()).isEqualTo("No resources found in get-selector namespace.\n");
    }

    private static List<String> names(String... args) throws Exception {
        List<String> lines = cluster.ok(args).out().lines().toList();
        assertThat(lines.get(0)).matches(HEADER);
        return lines.stream().skip(1).map(l -> l.split("\\s+")[0]).toList();
    }

    @Test
    void watchStaysOpenAndShowsAServiceCreatedAfterItStarted() throws Exception {
        String ip = createSeed("get-watch");

        try (Background watch = Background.start(cluster.kubectl(), "get", "services", "-n", "get-watch", "-w")) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(watch.lines()).hasSize(2));
            assertThat(watch.lines().get(0)).matches(HEADER);
            assertThat(watch.lines().get(1)).startsWith("my-service").contains(ip);

            Path late = cluster.manifest("late.yaml", """
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: late
                    spec:
                      type: NodePort
                      ports:
                        - port: 8080
                    """);
            cluster.ok("create", "-f", late.toString(), "-n", "get-watch");
            JsonNode stored = cluster.get("get-watch", "service", "late");
            String lateIp = stored.path("spec").path("clusterIP").asString();
            int nodePort = stored.path("spec").path("ports").get(0).path("nodePort").asInt();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(watch.lines()).anySatisfy(l ->
                    assertThat(l).matches("late\\s+NodePort\\s+" + lateIp.replace(".", "\\.") + "\\s+<none>\\s+8080:"
                            + nodePort + "/TCP\\s+\\d+s")));
            assertThat(watch.isAlive()).as("the watch is still open; stderr: %s", watch.stderr()).isTrue();
        }
    }
}
