package dev.ferry.apiserver.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.apiserver.Samples;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.resource.ResourceTypes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The documents against the recorded samples kubectl accepted. The samples list subresources Ferry does not serve
 * (exec, attach, proxy, eviction, binding, ...); those are filtered out of the sample before comparing.
 */
class DiscoveryTest {
    private static final ResourceTypes TYPES = ResourceTypes.standard(Map.of());
    private final Discovery discovery = new Discovery(TYPES, VersionInfo.DEFAULT);

    @Test
    void legacyApiMatchesSample() {
        assertThat(Samples.wire(discovery.apiVersions("127.0.0.1:40855"))).isEqualTo(Samples.load("legacy-api.json"));
    }

    @Test
    void legacyApisMatchesSample() {
        assertThat(Samples.wire(discovery.apiGroupList())).isEqualTo(Samples.load("legacy-apis.json"));
    }

    @Test
    void legacyCoreResourceListMatchesSampleFieldByField() {
        ObjectNode ours = Samples.wire(discovery.apiResourceList("v1").orElseThrow());
        ObjectNode sample = Samples.load("legacy-api-v1.json");
        ArrayNode sampleResources = (ArrayNode) sample.get("resources");
        for (int i = sampleResources.size() - 1; i >= 0; i--) {
            if (!served(sampleResources.get(i).get("name").asString())) {
                sampleResources.remove(i);
            }
        }
        for (JsonNode r : ours.get("resources")) {
            boolean stored = TYPES.find("", "v1", r.get("name").asString()).isPresent();
            if (stored) {
                assertThat(r.get("storageVersionHash").asString()).as(r.get("name").asString()).hasSize(12);
            } else {
                assertThat(r.has("storageVersionHash")).as(r.get("name").asString()).isFalse();
            }
            ((ObjectNode) r).remove("storageVersionHash");
        }
        assertThat(ours.get("resources").size()).isEqualTo(sampleResources.size());
        for (int i = 0; i < sampleResources.size(); i++) {
            JsonNode expected = sampleResources.get(i);
            JsonNode actual = ours.get("resources").get(i);
            assertThat(Set.copyOf(actual.propertyNames())).as(expected.get("name").asString())
                    .isEqualTo(Set.copyOf(expected.propertyNames()));
            for (String field : expected.propertyNames()) {
                assertThat(actual.get(field)).as(expected.get("name") + "." + field).isEqualTo(expected.get(field));
            }
        }
        assertThat(ours.get("kind")).isEqualTo(sample.get("kind"));
        assertThat(ours.get("apiVersion")).isEqualTo(sample.get("apiVersion"));
        assertThat(ours.get("groupVersion")).isEqualTo(sample.get("groupVersion"));
    }

    @Test
    void legacyAppsResourceListListsScaleAsAutoscalingV1() {
        JsonNode resources = discovery.apiResourceList("apps/v1").orElseThrow().get("resources");
        assertThat(names(resources)).containsExactly("deployments", "deployments/status", "deployments/scale",
                "replicasets", "replicasets/status", "replicasets/scale");
        JsonNode scale = resources.get(2);
        assertThat(scale.get("group").asString()).isEqualTo("autoscaling");
        assertThat(scale.get("version").asString()).isEqualTo("v1");
        assertThat(scale.get("kind").asString()).isEqualTo("Scale");
        assertThat(scale.get("verbs").toString()).isEqualTo("[\"get\",\"patch\",\"update\"]");
        assertThat(resources.get(1).has("group")).isFalse();
        assertThat(resources.get(0).get("shortNames").toString()).isEqualTo("[\"deploy\"]");
        assertThat(resources.get(0).get("categories").toString()).isEqualTo("[\"all\"]");
        assertThat(discovery.apiResourceList("discovery.k8s.io/v1").orElseThrow().get("resources").get(0)
                .has("shortNames")).isFalse();
        assertThat(discovery.apiResourceList("batch/v1")).isEmpty();
    }

    @Test
    void storageVersionHashIsUpstreams() {
        assertThat(Discovery.storageVersionHash("", "v1", "Pod")).isEqualTo("xPOwRZ+Yhw8=");
        assertThat(Discovery.storageVersionHash("", "v1", "Service")).isEqualTo("0/CO1lhkEBI=");
        assertThat(Discovery.storageVersionHash("apps", "v1", "Deployment")).isEqualTo("8aSe+NMegvE=");
    }

    @Test
    void aggregatedApiMatchesSample() {
        ObjectNode sample = Samples.load("aggregated-api.json");
        for (JsonNode r : sample.get("items").get(0).get("versions").get(0).get("resources")) {
            ArrayNode subs = (ArrayNode) r.get("subresources");
            if (subs == null) {
                continue;
            }
            for (int i = subs.size() - 1; i >= 0; i--) {
                if (!served(r.get("resource").asString() + "/" + subs.get(i).get("subresource").asString())) {
                    subs.remove(i);
                }
            }
        }
        assertThat(Samples.wire(discovery.aggregatedApi("v2"))).isEqualTo(sample);
    }

    @Test
    void aggregatedApisMatchesSample() {
        assertThat(Samples.wire(discovery.aggregatedApis("v2"))).isEqualTo(Samples.load("aggregated-apis.json"));
    }

    @Test
    void aggregatedV2beta1DiffersOnlyInApiVersion() {
        ObjectNode beta = discovery.aggregatedApis("v2beta1");
        assertThat(beta.get("apiVersion").asString()).isEqualTo("apidiscovery.k8s.io/v2beta1");
        beta.put("apiVersion", "apidiscovery.k8s.io/v2");
        assertThat(beta).isEqualTo(discovery.aggregatedApis("v2"));
        assertThatThrownBy(() -> discovery.aggregatedApi("v1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void apiGroupDocument() {
        ObjectNode apps = discovery.apiGroup("apps").orElseThrow();
        assertThat(apps.get("kind").asString()).isEqualTo("APIGroup");
        assertThat(apps.get("apiVersion").asString()).isEqualTo("v1");
        assertThat(apps.get("preferredVersion").get("groupVersion").asString()).isEqualTo("apps/v1");
        assertThat(discovery.apiGroup("batch")).isEmpty();
        assertThat(discovery.apiGroup("")).isEmpty();
    }

    @Test
    void returnedDocumentsAreCopies() {
        discovery.apiGroupList().putArray("groups");
        discovery.aggregatedApi("v2").remove("items");
        discovery.version().put("minor", "99");
        assertThat(discovery.apiGroupList().get("groups").size()).isEqualTo(3);
        assertThat(discovery.aggregatedApi("v2").has("items")).isTrue();
        assertThat(discovery.version().get("minor").asString()).isEqualTo("32");
    }

    @Test
    void emptyTypesStillAnswerApisWithNoGroups() {
        Discovery empty = new Discovery(new ResourceTypes(List.of()), VersionInfo.DEFAULT);
        assertThat(empty.apiGroupList().get("groups").isEmpty()).isTrue();
        assertThat(empty.aggregatedApis("v2").get("items").isEmpty()).isTrue();
        assertThat(empty.aggregatedApi("v2").get("items").isEmpty()).isTrue();
    }

    @Test
    void versionBody() {
        ObjectNode version = discovery.version();
        assertThat(version.propertyNames()).containsExactly("major", "minor", "gitVersion", "gitCommit",
                "gitTreeState", "buildDate", "goVersion", "compiler", "platform");
        assertThat(version.get("major").asString()).isEqualTo("1");
        assertThat(version.get("minor").asString()).isEqualTo("32");
        assertThat(version.get("gitVersion").asString()).isEqualTo("v1.32.0");
        assertThat(version.get("platform").asString()).matches("[a-z]+/[a-z0-9_]+");
        VersionInfo v31 = new VersionInfo("1", "31", "v1.31.0", "c", "clean", "d", "g", "gc", "linux/amd64");
        assertThat(new Discovery(TYPES, v31).version().get("minor").asString()).isEqualTo("31");
    }

    @Test
    void negotiatesAggregatedDiscoveryFromKubectlsAccept() {
        String kubectl = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
        assertThat(AggregatedDiscovery.negotiate(kubectl)).contains("v2");
        assertThat(AggregatedDiscovery.negotiate(
                "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList, application/json"))
                .contains("v2beta1");
        assertThat(AggregatedDiscovery.negotiate("application/json, */*")).isEmpty();
        assertThat(AggregatedDiscovery.negotiate(null)).isEmpty();
        assertThat(AggregatedDiscovery.negotiate("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList"))
                .isEmpty();
        assertThat(AggregatedDiscovery.contentType("v2"))
                .isEqualTo("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    }

    /** Whether "pods", "pods/log" or "bindings" is served by the standard types. */
    private static boolean served(String name) {
        Set<String> served = new HashSet<>();
        TYPES.createOnly().forEach(t -> served.add(t.plural()));
        for (ResourceType t : TYPES.all()) {
            served.add(t.plural());
            t.subresources().forEach(s -> served.add(t.plural() + "/" + s));
        }
        return served.contains(name);
    }

    private static List<String> names(JsonNode resources) {
        return resources.valueStream().map(r -> r.get("name").asString()).toList();
    }
}
