package dev.ferry.apiserver;

import static dev.ferry.apiserver.Fixtures.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.api.Json;
import dev.ferry.apiserver.ApiClient.Resp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** coordination.k8s.io/v1 leases through the real listener: CRUD, validation, table, discovery, kube-node-lease. */
class LeaseTest extends ServerTest {
    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";

    @Test
    void nodeLeaseNamespaceExistsAtStart() {
        for (String ns : new String[] {"default", "kube-system", "kube-public", "kube-node-lease"}) {
            assertThat(api.get("/api/v1/namespaces/" + ns).status()).as(ns).isEqualTo(200);
        }
    }

    @Test
    void leaseLifecycle() {
        Resp created = api.post(LEASES, lease("node-1", "node-1", 40));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("kind").asString()).isEqualTo("Lease");
        assertThat(created.json().path("apiVersion").asString()).isEqualTo("coordination.k8s.io/v1");
        assertThat(created.json().path("spec").path("holderIdentity").asString()).isEqualTo("node-1");

        ObjectNode renewed = created.json();
        ((ObjectNode) renewed.get("spec")).put("renewTime", "2026-01-01T00:00:10.000000Z");
        Resp updated = api.put(LEASES + "/node-1", renewed);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().path("spec").path("renewTime").asString()).isEqualTo("2026-01-01T00:00:10.000000Z");

        Resp list = api.get(LEASES);
        assertThat(list.json().path("kind").asString()).isEqualTo("LeaseList");
        assertThat(api.delete(LEASES + "/node-1").status()).isEqualTo(200);
        assertThat(api.get(LEASES + "/node-1").status()).isEqualTo(404);
    }

    @Test
    void validationAsUpstream() {
        assertStatus(api.post(LEASES, lease("bad", "x", 0)), 422, "Invalid",
                "Lease.coordination.k8s.io \"bad\" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be "
                        + "greater than 0");
        ObjectNode preferred = lease("bad2", "x", 10);
        ((ObjectNode) preferred.get("spec")).put("preferredHolder", "y");
        assertStatus(api.post(LEASES, preferred), 422, "Invalid",
                "Lease.coordination.k8s.io \"bad2\" is invalid: spec.preferredHolder: Forbidden: may only be "
                        + "specified if `strategy` is defined");
        ObjectNode noDuration = lease("fine", "", 0);
        ((ObjectNode) noDuration.get("spec")).remove("leaseDurationSeconds");
        assertThat(api.post(LEASES, noDuration).status()).isEqualTo(201);
    }

    @Test
    void tableHasNameHolderAge() throws Exception {
        assertThat(api.post(LEASES, lease("table-node", "agent-7", 40)).status()).isEqualTo(201);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.uri(LEASES + "/table-node"))
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode table = Json.MAPPER.readTree(r.body());
        assertThat(table.path("kind").asString()).isEqualTo("Table");
        assertThat(table.path("columnDefinitions").valueStream().map(c -> c.path("name").asString()).toList())
                .containsExactly("Name", "Holder", "Age");
        JsonNode cells = table.path("rows").get(0).path("cells");
        assertThat(cells.get(0).asString()).isEqualTo("table-node");
        assertThat(cells.get(1).asString()).isEqualTo("agent-7");
    }

    @Test
    void discoveryListsLeasesAndBindings() {
        JsonNode leases = api.get("/apis/coordination.k8s.io/v1").json().path("resources").get(0);
        assertThat(leases.path("name").asString()).isEqualTo("leases");
        assertThat(leases.path("kind").asString()).isEqualTo("Lease");
        assertThat(leases.path("namespaced").asBoolean()).isTrue();
        assertThat(api.get("/apis").body()).contains("coordination.k8s.io");
        JsonNode core = api.get("/api/v1").json().path("resources");
        assertThat(core.get(0).path("name").asString()).isEqualTo("bindings");
        assertThat(core.get(0).path("verbs").toString()).isEqualTo("[\"create\"]");
        boolean podsBinding = core.valueStream().anyMatch(r -> r.path("name").asString().equals("pods/binding")
                && r.path("kind").asString().equals("Binding") && r.path("verbs").toString().equals("[\"create\"]"));
        assertThat(podsBinding).isTrue();
    }

    static ObjectNode lease(String name, String holder, int duration) {
        ObjectNode l = Json.object();
        l.put("apiVersion", "coordination.k8s.io/v1");
        l.put("kind", "Lease");
        l.putObject("metadata").put("name", name);
        ObjectNode spec = l.putObject("spec");
        if (!holder.isEmpty()) {
            spec.put("holderIdentity", holder);
        }
        spec.put("leaseDurationSeconds", duration);
        return l;
    }
}
