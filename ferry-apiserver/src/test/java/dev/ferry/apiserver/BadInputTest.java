package dev.ferry.apiserver;

import static dev.ferry.apiserver.Fixtures.DEPLOYMENTS;
import static dev.ferry.apiserver.Fixtures.ENDPOINT_SLICES;
import static dev.ferry.apiserver.Fixtures.EVENTS;
import static dev.ferry.apiserver.Fixtures.PODS;
import static dev.ferry.apiserver.Fixtures.SERVICES;
import static dev.ferry.apiserver.Fixtures.assertStatus;
import static dev.ferry.apiserver.Fixtures.assertStatusShape;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiClient.Resp;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input gets a clear error and loses nothing: every malformed request is a 4xx with a JSON {@code Status} (never
 * a 500, never a stack trace), and afterwards the server answers and the objects created before are unchanged.
 */
class BadInputTest extends ServerTest {
    private static final String NS = "bad";
    private static final List<Fixtures.Kind> KINDS = List.of(SERVICES, PODS, EVENTS, DEPLOYMENTS, ENDPOINT_SLICES);

    /** Path of each object created before any bad input → its JSON as the server returned it. */
    private static final Map<String, ObjectNode> seeds = new LinkedHashMap<>();

    @BeforeAll
    static void seed() throws Exception {
        api.createNamespace(NS);
        for (Fixtures.Kind k : KINDS) {
            Resp r = api.post(k.collection(NS), k.build(NS, "keep"));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            seeds.put(k.item(NS, "keep"), api.get(k.item(NS, "keep")).json());
        }
    }

    /** Runs after every test: the server still answers and nothing that existed was lost or changed. */
    @AfterEach
    void nothingLost() {
        assertThat(api.get("/healthz").status()).isEqualTo(200);
        seeds.forEach((path, before) -> {
            Resp now = api.get(path);
            assertThat(now.status()).as("GET %s after bad input: %s", path, now.body()).isEqualTo(200);
            assertThat(now.json()).as("%s unchanged", path).isEqualTo(before);
        });
        for (Fixtures.Kind k : KINDS) {
            Resp list = api.get(k.collection(NS));
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.json().path("items")).as("%s in %s hold only the seed", k, NS).hasSize(1);
            Resp selected = api.get(k.all() + "?labelSelector=app%21%3Dnone");
            assertThat(selected.status()).as("label-selected list of all %s: %s", k, selected.body()).isEqualTo(200);
        }
    }

    private static Resp post(Fixtures.Kind k, String body) {
        return api.send("POST", k.collection(NS), body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Test
    void malformedAndNonObjectBodies() {
        for (Fixtures.Kind k : KINDS) {
            for (String body : List.of("{\"apiVersion\":", "{", "}", "{\"a\" 1}", "{'a':1}", "[]", "[{}]",
                    "\"a string\"", "42", "-1.5e300", "true", "null", "{\"kind\":\"Service\"} trailing")) {
                ObjectNode s = assertStatus(post(k, body), 400, "BadRequest", null);
                assertThat(s.path("message").asString()).as("body %s", body)
                        .startsWith("couldn't get version/kind; json parse error: ");
            }
            assertStatus(api.send("POST", k.collection(NS), new byte[0], "application/json"), 400, "BadRequest",
                    null);
            assertStatus(api.send("POST", k.collection(NS), new byte[0], null), 400, "BadRequest", null);
        }
    }

    @Test
    void deepNestingHugeNumbersAndBadUtf8() {
        String deep = "{\"metadata\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertStatus(post(SERVICES, deep), 400, "BadRequest", null);
        String deepObject = "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
        assertStatus(post(SERVICES, deepObject), 400, "BadRequest", null);
        assertStatus(post(SERVICES, "{\"spec\":" + "9".repeat(100_000) + "}"), 400, "BadRequest", null);
        byte[] badUtf8 = "{\"metadata\":{\"name\":\"x\u00ff\"}}".getBytes(StandardCharsets.ISO_8859_1);
        assertStatusShape(api.send("POST", SERVICES.collection(NS), badUtf8, "application/json"), 400);
        byte[] utf32 = {0, 0, 0, '{', 0, 0, 0, '}'};
        assertThat(api.send("POST", SERVICES.collection(NS), utf32, "application/json").status()).isBetween(400, 499);
    }

    @Test
    void wrongKindApiVersionOrNamespace() {
        ObjectNode pod = Fixtures.pod("as-service", Map.of());
        ObjectNode s = assertStatus(api.post(SERVICES.collection(NS), pod), 400, "BadRequest", null);
        assertThat(s.path("message").asString()).contains("Pod").contains("Service");

        ObjectNode wrongVersion = Fixtures.service("wrong-version", Map.of());
        wrongVersion.put("apiVersion", "apps/v1");
        assertStatus(api.post(SERVICES.collection(NS), wrongVersion), 400, "BadRequest", null);
        ObjectNode deploymentAsCore = Fixtures.deployment("core", 1);
        deploymentAsCore.put("apiVersion", "v1");
        assertStatus(api.post(DEPLOYMENTS.collection(NS), deploymentAsCore), 400, "BadRequest", null);

        ObjectNode elsewhere = Fixtures.service("elsewhere", Map.of());
        ((ObjectNode) elsewhere.get("metadata")).put("namespace", "default");
        assertStatus(api.post(SERVICES.collection(NS), elsewhere), 400, "BadRequest",
                "the namespace of the provided object does not match the namespace sent on the request");
        ObjectNode keep = seeds.get(SERVICES.item(NS, "keep")).deepCopy();
        ((ObjectNode) keep.get("metadata")).put("namespace", "default");
        assertStatus(api.put(SERVICES.item(NS, "keep"), keep), 400, "BadRequest",
                "the namespace of the provided object does not match the namespace sent on the request");
    }

    @Test
    void wronglyTypedMetadataIsADecodeError() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"metadata\":{\"name\":5}}", "json: cannot unmarshal number into Go struct field "
                + "ObjectMeta.metadata.name of type string");
        cases.put("{\"metadata\":{\"name\":\"ok\",\"labels\":{\"a\":{\"b\":1}}}}", "json: cannot unmarshal object into "
                + "Go struct field ObjectMeta.metadata.labels of type string");
        cases.put("{\"metadata\":{\"name\":\"ok\",\"labels\":[\"a\"]}}", "json: cannot unmarshal array into Go "
                + "struct field ObjectMeta.metadata.labels of type map[string]string");
        cases.put("{\"metadata\":{\"name\":\"ok\",\"annotations\":{\"a\":true}}}", "json: cannot unmarshal bool "
                + "into Go struct field ObjectMeta.metadata.annotations of type string");
        cases.put("{\"metadata\":{\"name\":\"ok\",\"finalizers\":\"x\"}}", "json: cannot unmarshal string into Go "
                + "struct field ObjectMeta.metadata.finalizers of type []string");
        cases.put("{\"metadata\":{\"name\":\"ok\",\"generation\":\"1\"}}", "json: cannot unmarshal string into Go "
                + "struct field ObjectMeta.metadata.generation of type int64");
        cases.put("{\"metadata\":{\"generateName\":[\"x\"]}}", "json: cannot unmarshal array into Go struct field "
                + "ObjectMeta.metadata.generateName of type string");
        cases.put("{\"metadata\":{\"name\":\"ok\",\"namespace\":{}}}", "json: cannot unmarshal object into Go "
                + "struct field ObjectMeta.metadata.namespace of type string");
        cases.forEach((body, detail) -> assertStatus(post(SERVICES, body), 400, "BadRequest",
                "Service in version \"v1\" cannot be handled as a Service: " + detail));
        assertStatus(post(DEPLOYMENTS, "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":"
                        + "{\"name\":[]}}"), 400, "BadRequest",
                "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal array into "
                        + "Go struct field ObjectMeta.metadata.name of type string");
        assertStatus(post(SERVICES, "{\"kind\":{\"x\":1},\"metadata\":{\"name\":\"ok\"}}"), 400, "BadRequest",
                "couldn't get version/kind; json parse error: json: cannot unmarshal object into Go struct field "
                        + ".kind of type string");
        assertStatus(post(SERVICES, "{\"apiVersion\":7,\"metadata\":{\"name\":\"ok\"}}"), 400, "BadRequest",
                "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field "
                        + ".apiVersion of type string");

        ObjectNode keep = seeds.get(SERVICES.item(NS, "keep")).deepCopy();
        ((ObjectNode) keep.get("metadata")).putObject("labels").putArray("app");
        assertStatus(api.put(SERVICES.item(NS, "keep"), keep), 400, "BadRequest",
                "Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal array into Go "
                        + "struct field ObjectMeta.metadata.labels of type string");
    }

    @Test
    void unknownPathsAndMethods() {
        assertStatus(api.get("/api/v1/namespaces/bad/widgets"), 404, "NotFound",
                "the server could not find the requested resource");
        assertStatus(api.post("/api/v1/namespaces/bad/widgets", Fixtures.service("w", Map.of())), 404, "NotFound",
                "the server could not find the requested resource");
        assertStatus(api.get("/apis/nope.example.com/v1/namespaces/bad/things"), 404, "NotFound", null);
        assertStatus(api.get("/apis/apps/v7/namespaces/bad/deployments"), 404, "NotFound", null);
        assertStatus(api.get("/api/v2/namespaces/bad/services"), 404, "NotFound", null);
        assertStatus(api.get("/api/v1/namespaces/bad/services/keep/nonsense"), 404, "NotFound", null);
        assertStatus(api.get("/api/v1/namespaces/bad/services/keep/status/extra/parts"), 404, "NotFound", null);
        assertStatus(api.post(SERVICES.item(NS, "keep"), Fixtures.service("keep", Map.of())), 405,
                "MethodNotAllowed", null);
        assertStatus(api.put(SERVICES.collection(NS), Fixtures.service("keep", Map.of())), 405,
                "MethodNotAllowed", null);
        assertStatus(api.send("POST", SERVICES.collection(NS), "a: b".getBytes(StandardCharsets.UTF_8),
                "text/plain"), 415, "UnsupportedMediaType", null);
    }

    @Test
    void bodyOverThreeMebibytesIsTooLarge() {
        ObjectNode big = Fixtures.service("big", Map.of());
        ((ObjectNode) big.get("metadata")).putObject("annotations").put("blob", "x".repeat(3 * 1024 * 1024));
        assertStatus(api.post(SERVICES.collection(NS), big), 413, "RequestEntityTooLarge",
                "Request entity too large: limit is 3145728");
        assertStatus(api.put(SERVICES.item(NS, "keep"), big), 413, "RequestEntityTooLarge",
                "Request entity too large: limit is 3145728");
        assertStatus(api.sendChunked("POST", SERVICES.collection(NS), big.toString().getBytes(StandardCharsets.UTF_8)),
                413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
    }

    @Test
    void badQueryParameters() {
        String list = SERVICES.collection(NS);
        for (String query : List.of("resourceVersion=abc", "resourceVersion=-3", "limit=ten", "continue=%21%21",
                "labelSelector=a%20b%20c", "labelSelector=%3D%3D", "fieldSelector=abc", "fieldSelector=spec.x%3Dy",
                "watch=true&timeoutSeconds=abc", "watch=true&resourceVersion=xyz")) {
            assertStatusShape(api.get(list + "?" + query), 400);
        }
        assertStatusShape(api.send("POST", list + "?dryRun=Maybe",
                Fixtures.service("x", Map.of()).toString().getBytes(StandardCharsets.UTF_8), "application/json"), 400);
        ObjectNode keep = seeds.get(SERVICES.item(NS, "keep")).deepCopy();
        ((ObjectNode) keep.get("metadata")).put("resourceVersion", "not-a-number");
        assertStatusShape(api.put(SERVICES.item(NS, "keep"), keep), 400);
    }

    @Test
    void badDeleteOptions() {
        for (String body : List.of("{\"gracePeriodSeconds\":\"soon\"}", "{\"propagationPolicy\":{}}",
                "{\"propagationPolicy\":\"Sideways\"}", "{\"preconditions\":{\"uid\":5}}", "{\"preconditions\":[]}",
                "{\"orphanDependents\":\"yes\"}", "[1]", "{")) {
            Resp r = api.send("DELETE", SERVICES.item(NS, "keep"), body.getBytes(StandardCharsets.UTF_8),
                    "application/json");
            assertStatus(r, 400, "BadRequest", null);
        }
        assertStatusShape(api.send("DELETE", SERVICES.item(NS, "keep") + "?gracePeriodSeconds=later", null, null),
                400);
        Resp precondition = api.send("DELETE", SERVICES.item(NS, "keep"),
                "{\"preconditions\":{\"uid\":\"0000\"}}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertStatus(precondition, 409, "Conflict", null);
    }

    @Test
    void randomBytes() {
        Random random = new Random(20240611L);
        for (int i = 0; i < 300; i++) {
            byte[] body = new byte[random.nextInt(2048)];
            random.nextBytes(body);
            if (i % 3 == 0 && body.length > 0) {
                body[0] = '{';
            }
            Fixtures.Kind k = KINDS.get(i % KINDS.size());
            Resp r = i % 4 == 3 ? api.send("PUT", k.item(NS, "keep"), body, "application/json")
                    : api.send("POST", k.collection(NS), body, "application/json");
            assertThat(r.status()).as("random body #%d to %s: %s", i, k, r.body()).isBetween(400, 499);
            assertStatusShape(r, r.status());
        }
    }

    @Test
    void randomJsonTrees() {
        Random random = new Random(4711L);
        for (int i = 0; i < 300; i++) {
            Fixtures.Kind k = KINDS.get(i % KINDS.size());
            ObjectNode tree = invalidTree(random, k);
            Resp r = i % 4 == 3 ? api.put(k.item(NS, "keep"), tree) : api.post(k.collection(NS), tree);
            assertThat(r.status()).as("random tree #%d to %s: %s -> %s", i, k, tree, r.body()).isBetween(400, 499);
            assertStatusShape(r, r.status());
        }
    }

    /**
     * Objects with a valid identity and random content elsewhere may be stored (unknown fields are kept), but then
     * reading, listing with selectors, scaling and deleting them must still work: garbage accepted is never garbage
     * that breaks the server.
     */
    @Test
    void randomContentUnderAValidIdentityNeverBreaksReads() {
        Random random = new Random(99L);
        Map<Fixtures.Kind, ApiClient.WatchStream> watches = new LinkedHashMap<>();
        for (Fixtures.Kind k : KINDS) {
            watches.put(k, api.watch(k.all() + "?watch=true&resourceVersion="
                    + seeds.get(k.item(NS, "keep")).path("metadata").path("resourceVersion").asString()
                    + "&labelSelector=app%21%3Dzzz&fieldSelector=metadata.name%21%3Dzzz"));
        }
        for (int i = 0; i < 150; i++) {
            Fixtures.Kind k = KINDS.get(i % KINDS.size());
            String name = "rnd-" + i;
            ObjectNode tree = JsonNodeFactory.instance.objectNode();
            tree.put("apiVersion", k.apiVersion());
            tree.put("kind", k.kind());
            tree.putObject("metadata").put("name", name);
            for (int f = random.nextInt(5); f >= 0; f--) {
                tree.set(pick(random, "spec", "status", "involvedObject", "addressType", "endpoints", "ports",
                        "source"), randomValue(random, 3));
            }
            Resp r = api.post(k.collection(NS), tree);
            assertThat(r.status()).as("tree #%d to %s: %s -> %s", i, k, tree, r.body()).isLessThan(500);
            if (r.status() != 201) {
                assertStatusShape(r, r.status());
                continue;
            }
            assertThat(api.get(k.item(NS, name)).status()).isEqualTo(200);
            for (String query : List.of("?labelSelector=app%3Dx", "?fieldSelector=metadata.name%3D" + name)) {
                Resp listed = api.get(k.collection(NS) + query);
                assertThat(listed.status()).as("%s%s over %s: %s", k, query, tree, listed.body()).isEqualTo(200);
            }
            if (k == PODS) {
                assertThat(api.get(k.all() + "?fieldSelector=status.phase%21%3DRunning").status()).isEqualTo(200);
            }
            if (k == EVENTS) {
                assertThat(api.get(k.all() + "?fieldSelector=involvedObject.name%3Dx,source%3Dy").status())
                        .isEqualTo(200);
            }
            if (k == DEPLOYMENTS) {
                Resp scale = api.get(k.item(NS, name) + "/scale");
                assertThat(scale.status()).as("scale of %s: %s", tree, scale.body()).isEqualTo(200);
            }
            Resp deleted = api.send("DELETE", k.item(NS, name) + "?gracePeriodSeconds=0", null, null);
            assertThat(deleted.status()).as("delete %s: %s", tree, deleted.body()).isEqualTo(200);
            assertThat(api.get(k.item(NS, name)).status()).isEqualTo(404);
        }
        // Selector watches saw all of it and still deliver: a probe object's events arrive after the fuzz's.
        for (Fixtures.Kind k : KINDS) {
            try (ApiClient.WatchStream w = watches.get(k)) {
                assertThat(api.post(k.collection(NS), k.build(NS, "probe")).status()).isEqualTo(201);
                assertThat(api.send("DELETE", k.item(NS, "probe") + "?gracePeriodSeconds=0", null, null).status())
                        .isEqualTo(200);
                String last;
                int seen = 0;
                do {
                    ObjectNode ev = w.next();
                    last = ev.path("type").asString() + " " + ev.path("object").path("metadata").path("name")
                            .asString();
                    seen++;
                } while (!last.equals("DELETED probe") && seen < 1000);
                assertThat(last).as("%s watch delivers the probe's deletion", k).isEqualTo("DELETED probe");
            }
        }
    }

    /**
     * A random object that can never be a valid create or replace: its {@code metadata} is missing, not an object,
     * or has a name that is absent, empty, not a string or not a path segment. Everything else is random.
     */
    private static ObjectNode invalidTree(Random random, Fixtures.Kind k) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        int fields = random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            tree.set(pick(random, "spec", "status", "data", "items", "x", "apiVersion", "kind", "type", "ports"),
                    randomValue(random, 3));
        }
        if (random.nextBoolean()) {
            tree.put("apiVersion", random.nextBoolean() ? k.apiVersion() : pick(random, "v1", "apps/v1", "v2", ""));
            tree.put("kind", random.nextBoolean() ? k.kind() : pick(random, "Service", "Pod", "Nope", ""));
        }
        switch (random.nextInt(4)) {
            case 0 -> tree.remove("metadata");
            case 1 -> tree.set("metadata", randomScalarOrArray(random));
            default -> {
                ObjectNode meta = tree.putObject("metadata");
                for (int i = random.nextInt(5); i > 0; i--) {
                    meta.set(pick(random, "labels", "annotations", "namespace", "uid", "resourceVersion",
                            "finalizers", "generation", "ownerReferences", "creationTimestamp", "extra"),
                            randomValue(random, 2));
                }
                JsonNode badName = switch (random.nextInt(8)) {
                    case 0 -> null;
                    case 1 -> Json.MAPPER.getNodeFactory().stringNode("");
                    case 2 -> Json.MAPPER.getNodeFactory().stringNode("a/" + random.nextInt(100));
                    case 3 -> Json.MAPPER.getNodeFactory().stringNode(random.nextInt(100) + "%");
                    case 4 -> Json.MAPPER.getNodeFactory().stringNode("..");
                    default -> randomScalarOrArray(random);
                };
                if (badName == null) {
                    meta.remove("name");
                } else {
                    meta.set("name", badName);
                }
                meta.remove("generateName");
            }
        }
        return tree;
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    private static JsonNode randomScalarOrArray(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(5)) {
            case 0 -> f.numberNode(random.nextInt());
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.arrayNode().add(random.nextInt(10));
            case 3 -> f.numberNode(random.nextDouble());
            default -> f.objectNode().put("nested", random.nextInt(10));
        };
    }

    private static JsonNode randomValue(Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(random.nextLong());
            case 3 -> f.numberNode(random.nextGaussian() * 1e6);
            case 4 -> f.stringNode(randomString(random));
            case 5 -> {
                ArrayNode a = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(randomValue(random, depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = f.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    o.set(randomString(random), randomValue(random, depth - 1));
                }
                yield o;
            }
        };
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            s.append((char) (random.nextBoolean() ? 'a' + random.nextInt(26) : 32 + random.nextInt(0x2000)));
        }
        return s.toString();
    }
}
