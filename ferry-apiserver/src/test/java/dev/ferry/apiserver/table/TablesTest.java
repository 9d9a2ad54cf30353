package dev.ferry.apiserver.table;

import static dev.ferry.apiserver.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiException;
import dev.ferry.apiserver.Samples;
import dev.ferry.apiserver.resource.ResourceType;
import dev.ferry.apiserver.resource.ResourceTypes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class TablesTest {
    private static final ResourceTypes TYPES = ResourceTypes.standard(Map.of());
    private static final ResourceType SERVICES = TYPES.find("", "v1", "services").orElseThrow();
    private static final ResourceType CONFIG_LIKE = new ResourceType("", "v1", "configmaps", "configmap", "ConfigMap",
            true, List.of("cm"), List.of(), List.of(), new dev.ferry.apiserver.resource.Strategy() {
            });

    /** The Service of samples/watch-stream-raw.txt, which the fake served as samples/table-services.json. */
    private static ObjectNode sampleService() {
        return (ObjectNode) Json.MAPPER.readTree("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "default",
                 "labels": {"app": "x"}, "uid": "aa34c6a0-e7b1-4471-8cd3-23831619dc66",
                 "creationTimestamp": "2026-11-26T03:21:49Z", "resourceVersion": "102"},
                 "spec": {"selector": {"app": "x"}, "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}],
                 "type": "ClusterIP", "clusterIP": "10.96.1.101", "clusterIPs": ["10.96.1.101"],
                 "sessionAffinity": "None"}, "status": {"loadBalancer": {}}}""");
    }

    @Test
    void serviceTableMatchesTheSampleKubectlAccepted() {
        ObjectNode sample = Samples.load("table-services.json");
        // Compared as served: serialised and parsed back like the sample.
        ObjectNode table = Samples.wire(Tables.toTable(SERVICES, List.of(sampleService()), IncludeObject.METADATA,
                false, "108", null, Instant.parse("2026-11-26T03:21:49Z")));

        assertThat(fieldNames(table)).containsExactlyElementsOf(fieldNames(sample));
        assertThat(table.get("kind")).isEqualTo(sample.get("kind"));
        assertThat(table.get("apiVersion")).isEqualTo(sample.get("apiVersion"));
        assertThat(table.get("metadata")).isEqualTo(sample.get("metadata"));
        // Same columns; descriptions are upstream's doc strings where the fake just repeated the name.
        JsonNode columns = table.get("columnDefinitions");
        JsonNode sampleColumns = sample.get("columnDefinitions");
        assertThat(columns.size()).isEqualTo(sampleColumns.size());
        for (int i = 0; i < columns.size(); i++) {
            for (String field : List.of("name", "type", "format", "priority")) {
                assertThat(columns.get(i).get(field)).as("column %d %s", i, field)
                        .isEqualTo(sampleColumns.get(i).get(field));
            }
            assertThat(fieldNames(columns.get(i))).containsExactlyInAnyOrderElementsOf(fieldNames(sampleColumns.get(i)));
            assertThat(columns.get(i).get("description").asString()).isNotBlank();
        }
        assertThat(table.get("rows")).isEqualTo(sample.get("rows"));
    }

    @Test
    void fullObjectAndNoObjectModes() {
        ObjectNode service = sampleService();
        service.remove("kind");
        service.remove("apiVersion");
        ObjectNode full = Tables.toTable(SERVICES, List.of(service), IncludeObject.OBJECT, false, "5", null,
                Objects.NOW);
        JsonNode object = full.get("rows").get(0).get("object");
        assertThat(object.get("kind").asString()).isEqualTo("Service");
        assertThat(object.get("apiVersion").asString()).isEqualTo("v1");
        assertThat(object.get("spec")).isEqualTo(service.get("spec"));
        assertThat(service.has("kind")).as("input untouched").isFalse();

        ObjectNode none = Tables.toTable(SERVICES, List.of(service), IncludeObject.NONE, false, "5", null, Objects.NOW);
        assertThat(none.get("rows").get(0).has("object")).isTrue();
        assertThat(none.get("rows").get(0).get("object").isNull()).isTrue();
    }

    @Test
    void partialObjectMetadataCarriesTheWholeMetadataAsACopy() {
        ObjectNode service = sampleService();
        ((ObjectNode) service.get("metadata")).putObject("annotations").put("a", "b");
        ObjectNode table = Tables.toTable(SERVICES, List.of(service), IncludeObject.METADATA, false, "", null,
                Objects.NOW);
        ObjectNode partial = (ObjectNode) table.get("rows").get(0).get("object");
        assertThat(partial.get("metadata")).isEqualTo(service.get("metadata"));
        ((ObjectNode) partial.get("metadata")).put("name", "changed");
        assertThat(service.get("metadata").get("name").asString()).isEqualTo("web");
    }

    @Test
    void listMetadataAndEmptyLists() {
        ObjectNode table = Tables.toTable(SERVICES, List.of(), IncludeObject.METADATA, false, "42", "tok", Objects.NOW);
        assertThat(table.get("metadata")).isEqualTo(Json.MAPPER.readTree("{\"resourceVersion\":\"42\",\"continue\":\"tok\"}"));
        assertThat(table.get("rows").isArray()).isTrue();
        assertThat(table.get("rows").isEmpty()).isTrue();
        assertThat(table.get("columnDefinitions").size()).isEqualTo(7);

        ObjectNode bare = Tables.toTable(SERVICES, List.of(), IncludeObject.METADATA, true, null, "", Objects.NOW);
        assertThat(bare.get("metadata").isEmpty()).isTrue();
        assertThat(bare.get("columnDefinitions").isNull()).isTrue();
    }

    @Test
    void singleObjectTableUsesTheObjectsResourceVersion() {
        ObjectNode table = Tables.toTable(SERVICES, sampleService(), IncludeObject.METADATA, Objects.NOW);
        assertThat(table.get("metadata").get("resourceVersion").asString()).isEqualTo("102");
        assertThat(table.get("rows").size()).isEqualTo(1);
    }

    @Test
    void integerCellsAreJsonNumbersAndConditionsAreWritten() {
        ResourceType rs = TYPES.find("apps", "v1", "replicasets").orElseThrow();
        ObjectNode table = Tables.toTable(rs, List.of(yaml("""
                metadata: {name: r}
                spec: {replicas: 3}
                status: {replicas: 2}
                """)), IncludeObject.NONE, false, null, null, Objects.NOW);
        JsonNode cells = table.get("rows").get(0).get("cells");
        assertThat(cells.get(1).isNumber()).isTrue();
        assertThat(cells.get(1).asLong()).isEqualTo(3);
        assertThat(table.get("rows").get(0).has("conditions")).isFalse();

        ResourceType pods = TYPES.find("", "v1", "pods").orElseThrow();
        ObjectNode done = Tables.toTable(pods, List.of(yaml("status: {phase: Succeeded}")), IncludeObject.NONE,
                false, null, null, Objects.NOW);
        assertThat(done.get("rows").get(0).get("conditions")).isEqualTo(Json.MAPPER.readTree("""
                [{"type":"Completed","status":"True","reason":"Succeeded",
                  "message":"The pod has completed successfully."}]"""));
    }

    @Test
    void convertorsAreChosenByGroupAndKind() {
        assertThat(Tables.convertor("", "Pod")).isInstanceOf(PodTableConvertor.class);
        assertThat(Tables.convertor("apps", "Deployment")).isInstanceOf(DeploymentTableConvertor.class);
        assertThat(Tables.convertor("discovery.k8s.io", "EndpointSlice")).isInstanceOf(EndpointSliceTableConvertor.class);
        assertThat(Tables.convertor("events.k8s.io", "Event")).isInstanceOf(DefaultTableConvertor.class);
        ObjectNode table = Tables.toTable(CONFIG_LIKE, List.of(yaml("metadata: {name: cm}")), IncludeObject.NONE,
                false, null, null, Objects.NOW);
        assertThat(table.get("columnDefinitions").get(1).get("name").asString()).isEqualTo("Created At");
    }

    @Test
    void everyStandardKindHasOneCellPerColumn() {
        for (ResourceType t : TYPES.all()) {
            TableConvertor c = Tables.convertor(t.group(), t.kind());
            assertThat(c).as(t.kind()).isNotInstanceOf(DefaultTableConvertor.class);
            assertThat(c.row(yaml("metadata: {name: x}"), Objects.NOW).cells()).as(t.kind())
                    .hasSameSizeAs(c.columns());
        }
    }

    @Test
    void includeObjectParsing() {
        assertThat(IncludeObject.parse(null)).isEqualTo(IncludeObject.METADATA);
        assertThat(IncludeObject.parse("")).isEqualTo(IncludeObject.METADATA);
        assertThat(IncludeObject.parse("Object")).isEqualTo(IncludeObject.OBJECT);
        assertThat(IncludeObject.parse("None")).isEqualTo(IncludeObject.NONE);
        assertThatThrownBy(() -> IncludeObject.parse("all"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("unrecognized includeObject value: \"all\"");
                });
    }

    @Test
    void watchConverterSendsHeadersOnlyWithTheFirstEvent() {
        TableWatchConverter watch = new TableWatchConverter(SERVICES, IncludeObject.METADATA);
        ObjectNode first = watch.convert(sampleService(), Objects.NOW);
        ObjectNode modified = sampleService();
        ((ObjectNode) modified.get("metadata")).put("resourceVersion", "109");
        ObjectNode second = watch.convert(modified, Objects.NOW);

        assertThat(first.get("columnDefinitions").isArray()).isTrue();
        assertThat(first.get("metadata").get("resourceVersion").asString()).isEqualTo("102");
        assertThat(second.get("columnDefinitions").isNull()).isTrue();
        assertThat(second.get("metadata").get("resourceVersion").asString()).isEqualTo("109");
        assertThat(second.get("rows").get(0).get("cells").get(0).asString()).isEqualTo("web");

        ObjectNode status = (ObjectNode) Json.MAPPER.readTree("""
                {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"Expired","code":410}""");
        assertThat(watch.convert(status, Objects.NOW)).isSameAs(status);
    }

    private static List<String> fieldNames(JsonNode node) {
        return List.copyOf(node.propertyNames());
    }
}
