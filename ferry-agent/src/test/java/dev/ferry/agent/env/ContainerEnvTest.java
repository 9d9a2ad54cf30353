package dev.ferry.agent.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerEnvTest {
    private static final Map<String, String> SERVICE_ENV = new java.util.LinkedHashMap<>(Map.of(
            "WEB_SERVICE_HOST", "127.96.0.30"));

    static {
        SERVICE_ENV.put("WEB_SERVICE_PORT", "80");
    }

    static Pod pod() {
        return new PodBuilder().withNewMetadata().withNamespace("shop").withName("web-7d9f-abcde").withUid("uid-1")
                .withLabels(Map.of("app", "web", "tier", "front")).withAnnotations(Map.of("note", "say \"hi\""))
                .endMetadata()
                .withNewSpec().withNodeName("node-a").withServiceAccountName("robot")
                .addNewContainer().withName("main").withNewResources()
                .withLimits(Map.of("memory", new Quantity("64Mi"), "cpu", new Quantity("500m")))
                .withRequests(Map.of("cpu", new Quantity("250m"))).endResources().endContainer()
                .addNewContainer().withName("side").endContainer()
                .endSpec().build();
    }

    static ContainerEnv.PodContext context(Pod pod) {
        return new ContainerEnv.PodContext(pod, List.of("127.244.1.7"), List.of("127.0.0.1"),
                Map.of("cpu", new Quantity("2"), "memory", new Quantity("8Gi"), "ephemeral-storage", new Quantity("100Gi")));
    }

    static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    static EnvVar field(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }

    static EnvVar resource(String name, String container, String resource, String divisor) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewResourceFieldRef()
                .withContainerName(container).withResource(resource)
                .withDivisor(divisor == null ? null : new Quantity(divisor)).endResourceFieldRef().endValueFrom()
                .build();
    }

    static Map<String, String> build(Pod pod, String containerName, EnvVar... env) throws Exception {
        Container container = new ContainerBuilder(pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(containerName)).findFirst().orElseThrow()).withEnv(env).build();
        return ContainerEnv.build(context(pod), container, SERVICE_ENV);
    }

    @Test
    void orderIsDefaultsThenServiceVariablesThenContainerEnvInOrder() throws Exception {
        Map<String, String> env = build(pod(), "main", value("B", "2"), value("A", "1"));
        assertThat(env.keySet()).containsExactly("HOSTNAME", "POD_IP", "WEB_SERVICE_HOST", "WEB_SERVICE_PORT", "B", "A");
        assertThat(env).containsEntry("HOSTNAME", "web-7d9f-abcde").containsEntry("POD_IP", "127.244.1.7");
    }

    @Test
    void containerEnvWinsOverServiceVariablesAndDefaults() throws Exception {
        Map<String, String> env = build(pod(), "main", value("WEB_SERVICE_HOST", "mine"), value("POD_IP", "0.0.0.0"),
                value("HOSTNAME", "h"));
        assertThat(env).containsEntry("WEB_SERVICE_HOST", "mine").containsEntry("POD_IP", "0.0.0.0")
                .containsEntry("HOSTNAME", "h");
        assertThat(env.keySet()).containsExactly("WEB_SERVICE_PORT", "WEB_SERVICE_HOST", "POD_IP", "HOSTNAME");
    }

    @Test
    void valuesExpandAgainstEarlierVariablesThenServiceVariablesThenDefaults() throws Exception {
        Map<String, String> env = build(pod(), "main",
                value("EARLY", "$(LATE)"),
                value("LATE", "late"),
                value("URL", "http://$(WEB_SERVICE_HOST):$(WEB_SERVICE_PORT)/$(LATE)"),
                value("BIND", "$(POD_IP):8080"),
                value("ESCAPED", "$$(LATE)"),
                value("UNKNOWN", "$(NOPE)"),
                value("LATE", "again-$(LATE)"));
        assertThat(env).containsEntry("EARLY", "$(LATE)")
                .containsEntry("URL", "http://127.96.0.30:80/late")
                .containsEntry("BIND", "127.244.1.7:8080")
                .containsEntry("ESCAPED", "$(LATE)")
                .containsEntry("UNKNOWN", "$(NOPE)")
                .containsEntry("LATE", "again-late");
    }

    @Test
    void emptyValueIsEmpty() throws Exception {
        assertThat(build(pod(), "main", new EnvVarBuilder().withName("E").build())).containsEntry("E", "");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            metadata.name                   | web-7d9f-abcde
            metadata.namespace              | shop
            metadata.uid                    | uid-1
            metadata.labels['app']          | web
            metadata.labels['missing']      | ''
            metadata.annotations['note']    | say "hi"
            spec.nodeName                   | node-a
            spec.serviceAccountName         | robot
            status.podIP                    | 127.244.1.7
            status.podIPs                   | 127.244.1.7
            status.hostIP                   | 127.0.0.1
            status.hostIPs                  | 127.0.0.1
            """)
    void downwardApiFields(String path, String expected) throws Exception {
        assertThat(build(pod(), "main", field("V", path))).containsEntry("V", expected);
    }

    @Test
    void wholeLabelAndAnnotationMapsAreFormattedAsUpstream() throws Exception {
        Map<String, String> env = build(pod(), "main", field("L", "metadata.labels"),
                field("A", "metadata.annotations"));
        assertThat(env).containsEntry("L", "app=\"web\"\ntier=\"front\"").containsEntry("A", "note=\"say \\\"hi\\\"\"");
    }

    @Test
    void unknownFieldPathIsAConfigError() {
        assertThatThrownBy(() -> build(pod(), "main", field("V", "spec.bogus")))
                .isInstanceOfSatisfying(ContainerEnv.ConfigError.class, e -> {
                    assertThat(e.reason()).isEqualTo("CreateContainerConfigError");
                    assertThat(e.getMessage()).isEqualTo("env \"V\": unsupported fieldPath: spec.bogus");
                });
    }

    @ParameterizedTest(name = "{0}/{1} divisor {2}")
    @CsvSource(delimiter = '|', textBlock = """
            main |  limits.memory   |       | 67108864
            main |  limits.memory   | 1Mi   | 64
            main |  limits.cpu      |       | 1
            main |  limits.cpu      | 1m    | 500
            main |  requests.cpu    | 1m    | 250
            main |  requests.memory |       | 0
            side |  limits.cpu      |       | 2
            side |  limits.memory   | 1Gi   | 8
            side |  limits.ephemeral-storage | 1Gi | 100
            """)
    void resourceFieldRefsDivideAndRoundUpAndDefaultLimitsToNodeAllocatable(String container, String resource,
            String divisor, String expected) throws Exception {
        assertThat(build(pod(), "main", resource("V", container, resource, divisor))).containsEntry("V", expected);
    }

    @Test
    void resourceFieldRefWithoutContainerNameMeansThisContainer() throws Exception {
        assertThat(build(pod(), "side", resource("V", null, "limits.cpu", "1m"))).containsEntry("V", "2000");
    }

    @Test
    void unsupportedResourceIsAConfigError() {
        assertThatThrownBy(() -> build(pod(), "main", resource("V", null, "limits.gpu", null)))
                .isInstanceOf(ContainerEnv.ConfigError.class).hasMessageContaining("unsupported container resource");
    }

    @Test
    void configMapAndSecretReferencesAreConfigErrors() {
        EnvVar configMap = new EnvVarBuilder().withName("C").withNewValueFrom().withNewConfigMapKeyRef("k", "cm",
                false).endValueFrom().build();
        EnvVar secret = new EnvVarBuilder().withName("S").withNewValueFrom().withNewSecretKeyRef("k", "s", false)
                .endValueFrom().build();
        assertThatThrownBy(() -> build(pod(), "main", configMap)).isInstanceOf(ContainerEnv.ConfigError.class)
                .hasMessage("env \"C\": configMapKeyRef is not supported by Ferry");
        assertThatThrownBy(() -> build(pod(), "main", secret)).isInstanceOf(ContainerEnv.ConfigError.class)
                .hasMessage("env \"S\": secretKeyRef is not supported by Ferry");
    }

    @Test
    void envFromIsAConfigError() {
        Container container = new ContainerBuilder().withName("c").withEnvFrom(new EnvFromSourceBuilder()
                .withNewConfigMapRef("cm", false).build()).build();
        assertThatThrownBy(() -> ContainerEnv.build(context(pod()), container, Map.of()))
                .isInstanceOf(ContainerEnv.ConfigError.class).hasMessageContaining("envFrom");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            podname-only        |          |          | podname-only
            with-hostname       | custom   |          | custom
            with-override       | custom   | override | override
            """)
    void hostname(String name, String hostname, String override, String expected) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withHostname(hostname)
                .withHostnameOverride(override).endSpec().build();
        assertThat(ContainerEnv.hostname(pod)).isEqualTo(expected);
    }

    @Test
    void longPodNamesAreCutTo63CharactersWithoutTrailingDash() {
        String name = "a".repeat(62) + "-" + "b".repeat(10);
        Pod pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().build();
        assertThat(ContainerEnv.hostname(pod)).isEqualTo("a".repeat(62));
    }

    @Test
    void commandAndArgsExpandAgainstTheFinalEnvironment() throws Exception {
        Map<String, String> env = build(pod(), "main", value("PORT", "9000"));
        assertThat(ContainerEnv.expand(List.of("serve", "--bind=$(POD_IP):$(PORT)", "$$(PORT)", "$(MISSING)"), env))
                .containsExactly("serve", "--bind=127.244.1.7:9000", "$(PORT)", "$(MISSING)");
        assertThat(ContainerEnv.expand(null, env)).isEmpty();
    }
}
