package dev.ferry.apiserver;

import static dev.ferry.apiserver.Fixtures.EVENTS;
import static dev.ferry.apiserver.Fixtures.PODS;
import static dev.ferry.apiserver.Fixtures.SERVICES;
import static dev.ferry.apiserver.Fixtures.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.apiserver.ApiClient.Resp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Lists: label and field selectors, all-namespace lists, and paging with limit/continue. */
class ListTest extends ServerTest {

    @BeforeAll
    static void seed() throws Exception {
        api.createNamespace("lists");
        api.createNamespace("lists-2");
        create(SERVICES.collection("lists"), Fixtures.service("a", Map.of("app", "web", "tier", "fe")));
        create(SERVICES.collection("lists"), Fixtures.service("b", Map.of("app", "web", "tier", "be")));
        create(SERVICES.collection("lists"), Fixtures.service("c", Map.of("app", "db")));
        create(SERVICES.collection("lists"), Fixtures.service("d", Map.of()));
        for (String ns : List.of("lists", "lists-2")) {
            for (String pod : List.of("p1", "p2", "p3")) {
                create(PODS.collection(ns), Fixtures.pod(pod, Map.of("app", "web")));
            }
        }
        setPhase("lists", "p1", "Running");
        setPhase("lists", "p2", "Pending");
        setPhase("lists", "p3", "Running");
        create(EVENTS.collection("lists"), Fixtures.event("lists", "e1", "p1"));
        create(EVENTS.collection("lists"), Fixtures.event("lists", "e2", "p2"));
        create(EVENTS.collection("lists"), Fixtures.event("lists", "e3", "p1"));
    }

    private static void create(String collection, ObjectNode body) {
        Resp r = api.post(collection, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static void setPhase(String ns, String pod, String phase) {
        ObjectNode p = api.get(PODS.item(ns, pod)).json();
        p.putObject("status").put("phase", phase);
        Resp r = api.put(PODS.item(ns, pod) + "/status", p);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> names(Resp r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode item : r.json().path("items")) {
            out.add(item.path("metadata").path("name").asString());
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "app=web|a b",
        "app==web|a b",
        "app!=web|c d",
        "tier in (fe,be)|a b",
        "tier notin (fe)|b c d",
        "tier|a b",
        "!tier|c d",
        "app=web,tier=be|b",
        "app in (web,db),!tier|c",
        "app=nothing|''",
    })
    void labelSelectors(String selector, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
        assertThat(names(api.get(SERVICES.collection("lists") + "?labelSelector=" + q(selector))))
                .as("labelSelector %s", selector).containsExactlyElementsOf(want);
    }

    @Test
    void invalidLabelSelectorIsBadRequest() {
        for (String bad : List.of("app in web", "a b", "!", "app=(x", "key=v@lue")) {
            assertStatus(api.get(SERVICES.collection("lists") + "?labelSelector=" + q(bad)), 400, "BadRequest", null);
        }
    }

    @Test
    void fieldSelectors() {
        assertThat(names(api.get(SERVICES.collection("lists") + "?fieldSelector=" + q("metadata.name=b"))))
                .containsExactly("b");
        assertThat(names(api.get(SERVICES.collection("lists") + "?fieldSelector=" + q("metadata.name!=b"))))
                .containsExactly("a", "c", "d");
        assertThat(names(api.get(PODS.collection("lists") + "?fieldSelector=" + q("status.phase=Running"))))
                .containsExactly("p1", "p3");
        assertThat(names(api.get(PODS.collection("lists") + "?fieldSelector=" + q("status.phase!=Running"))))
                .containsExactly("p2");
        assertThat(names(api.get(PODS.collection("lists")
                + "?fieldSelector=" + q("status.phase=Running,metadata.name=p3")))).containsExactly("p3");
        assertThat(names(api.get(EVENTS.collection("lists") + "?fieldSelector=" + q("involvedObject.name=p1"))))
                .containsExactly("e1", "e3");
        assertThat(names(api.get(PODS.collection("lists") + "?labelSelector=app%3Dweb&fieldSelector="
                + q("status.phase==Pending")))).containsExactly("p2");
    }

    @Test
    void unsupportedFieldIsBadRequest() {
        assertStatus(api.get(PODS.collection("lists") + "?fieldSelector=" + q("spec.foo=bar")), 400, "BadRequest",
                "field label not supported: spec.foo");
        assertStatus(api.get(SERVICES.collection("lists") + "?fieldSelector=" + q("status.phase=x")), 400,
                "BadRequest", "field label not supported: status.phase");
        assertStatus(api.get(EVENTS.collection("lists") + "?fieldSelector=" + q("message=hi")), 400, "BadRequest",
                "field label not supported: message");
        assertStatus(api.get(PODS.collection("lists") + "?fieldSelector=" + q("nonsense")), 400, "BadRequest",
                null);
    }

    @Test
    void allNamespacesList() {
        Resp all = api.get("/api/v1/pods");
        assertThat(all.status()).isEqualTo(200);
        ObjectNode list = all.json();
        assertThat(list.path("kind").asString()).isEqualTo("PodList");
        assertThat(list.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(list.path("metadata").path("resourceVersion").asString()).matches("[1-9][0-9]*");
        Set<String> seen = new HashSet<>();
        for (JsonNode item : list.path("items")) {
            seen.add(item.path("metadata").path("namespace").asString() + "/" + item.path("metadata").path("name")
                    .asString());
        }
        assertThat(seen).contains("lists/p1", "lists/p2", "lists/p3", "lists-2/p1", "lists-2/p2", "lists-2/p3");
        assertThat(names(api.get("/api/v1/pods?fieldSelector=" + q("metadata.namespace=lists-2"))))
                .containsExactly("p1", "p2", "p3");
        assertThat(names(api.get("/api/v1/pods?fieldSelector=" + q("status.phase=Running"))))
                .containsExactly("p1", "p3");
    }

    @Test
    void pagingReturnsEveryObjectOnceAtOneResourceVersion() {
        api.createNamespace("paging");
        Set<String> original = new HashSet<>();
        for (int i = 0; i < 25; i++) {
            String name = String.format("p-%02d", i);
            create(SERVICES.collection("paging"), Fixtures.service(name, Map.of("gen", "one")));
            original.add(name);
        }
        String base = SERVICES.collection("paging") + "?limit=10";
        Resp first = api.get(base);
        ObjectNode page = first.json();
        String rv = page.path("metadata").path("resourceVersion").asString();
        List<String> got = new ArrayList<>(names(first));
        assertThat(got).hasSize(10);

        // Writes between pages must not show up: a continued list is a snapshot at the first page's revision.
        create(SERVICES.collection("paging"), Fixtures.service("p-99", Map.of()));
        assertThat(api.delete(SERVICES.item("paging", "p-00")).status()).isEqualTo(200);
        ObjectNode p20 = api.get(SERVICES.item("paging", "p-20")).json();
        ((ObjectNode) p20.get("metadata")).putObject("labels").put("gen", "two");
        assertThat(api.put(SERVICES.item("paging", "p-20"), p20).status()).isEqualTo(200);

        int pages = 1;
        while (page.path("metadata").has("continue")) {
            String token = page.path("metadata").path("continue").asString();
            Resp next = api.get(base + "&continue=" + q(token));
            page = next.json();
            pages++;
            assertThat(page.path("metadata").path("resourceVersion").asString())
                    .as("every page reports the first page's resourceVersion").isEqualTo(rv);
            for (JsonNode item : page.path("items")) {
                if (item.path("metadata").path("name").asString().equals("p-20")) {
                    assertThat(item.path("metadata").path("labels").path("gen").asString())
                            .as("a continued page shows objects as of the snapshot").isEqualTo("one");
                }
            }
            got.addAll(names(next));
            assertThat(pages).as("paging terminates").isLessThan(10);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(got).as("every object exactly once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(original);

        List<String> now = names(api.get(SERVICES.collection("paging")));
        assertThat(now).hasSize(25).contains("p-99").doesNotContain("p-00");
    }

    @Test
    void pagingWithSelectorAndNoWrites() {
        api.createNamespace("paging-sel");
        for (int i = 0; i < 12; i++) {
            create(SERVICES.collection("paging-sel"),
                    Fixtures.service("s-" + i, Map.of("parity", i % 2 == 0 ? "even" : "odd")));
        }
        List<String> got = new ArrayList<>();
        String url = SERVICES.collection("paging-sel") + "?limit=4&labelSelector=parity%3Deven";
        ObjectNode page = api.get(url).json();
        String rv = page.path("metadata").path("resourceVersion").asString();
        page.path("items").forEach(i -> got.add(i.path("metadata").path("name").asString()));
        while (page.path("metadata").has("continue")) {
            page = api.get(url + "&continue=" + q(page.path("metadata").path("continue").asString())).json();
            assertThat(page.path("metadata").path("resourceVersion").asString()).isEqualTo(rv);
            page.path("items").forEach(i -> got.add(i.path("metadata").path("name").asString()));
        }
        assertThat(got).containsExactlyInAnyOrder("s-0", "s-2", "s-4", "s-6", "s-8", "s-10");
    }

    @Test
    void resourceVersionFromTheFutureTimesOut() {
        long current = Long.parseLong(api.get(SERVICES.collection("lists")).json().path("metadata")
                .path("resourceVersion").asString());
        long future = current + 1000;
        for (String path : List.of(SERVICES.collection("lists") + "?resourceVersion=" + future,
                SERVICES.collection("lists") + "?watch=true&resourceVersion=" + future)) {
            ObjectNode status = assertStatus(api.get(path), 504, "Timeout", null);
            assertThat(status.path("message").asString())
                    .matches("Timeout: Too large resource version: " + future + ", current: \\d+");
            assertThat(status.path("details").path("retryAfterSeconds").asInt()).isEqualTo(1);
        }
    }

    @Test
    void bogusContinueTokenIsBadRequest() {
        for (String token : List.of("bogus", "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MCwic3RhcnQiOiJ4In0", "%%%", "e30")) {
            ObjectNode status = assertStatus(api.get(SERVICES.collection("lists") + "?limit=2&continue=" + q(token)),
                    400, "BadRequest", null);
            assertThat(status.path("message").asString()).as("continue=%s", token)
                    .startsWith("invalid continue token: continue key is not valid");
        }
        String token = api.get(SERVICES.collection("lists") + "?limit=2").json().path("metadata").path("continue")
                .asString();
        assertStatus(api.get(SERVICES.collection("lists") + "?limit=2&resourceVersion=5&continue=" + q(token)), 400,
                "BadRequest", "specifying resource version is not allowed when using continue");
    }
}
