package dev.ferry.apiserver;

import static dev.ferry.apiserver.Fixtures.SERVICES;
import static dev.ferry.apiserver.Fixtures.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.ferry.apiserver.ApiClient.Resp;
import dev.ferry.apiserver.ApiClient.WatchStream;
import dev.ferry.apiserver.http.HttpTransport;
import dev.ferry.store.MemoryStore;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Watches over chunked HTTP and WebSocket: initial state, resume, selectors, timeouts, bookmarks, expiry. */
class WatchTest extends ServerTest {

    private static Resp create(String ns, String name, Map<String, String> labels) {
        Resp r = api.post(SERVICES.collection(ns), Fixtures.service(name, labels));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r;
    }

    private static Resp relabel(String ns, String name, Map<String, String> labels) {
        ObjectNode o = api.get(SERVICES.item(ns, name)).json();
        ObjectNode l = ((ObjectNode) o.get("metadata")).putObject("labels");
        labels.forEach(l::put);
        Resp r = api.put(SERVICES.item(ns, name), o);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static void assertEvent(ObjectNode ev, String type, String name) {
        assertThat(ev.path("type").asString()).as("event type of %s", ev).isEqualTo(type);
        assertThat(ev.path("object").path("kind").asString()).isEqualTo("Service");
        assertThat(ev.path("object").path("apiVersion").asString()).isEqualTo("v1");
        assertThat(ev.path("object").path("metadata").path("name").asString()).as("object of %s", ev).isEqualTo(name);
    }

    private static long rv(ObjectNode ev) {
        return Long.parseLong(ev.path("object").path("metadata").path("resourceVersion").asString());
    }

    private void existingThenLive(String ns, String rvParam) {
        api.createNamespace(ns);
        create(ns, "a", Map.of());
        create(ns, "b", Map.of());
        try (WatchStream w = api.watch(SERVICES.collection(ns) + "?watch=true" + rvParam)) {
            assertThat(w.status).isEqualTo(200);
            assertThat(w.contentType).startsWith("application/json");
            assertEvent(w.next(), "ADDED", "a");
            assertEvent(w.next(), "ADDED", "b");

            long created = Long.parseLong(create(ns, "c", Map.of()).resourceVersion());
            ObjectNode added = w.next();
            assertEvent(added, "ADDED", "c");
            assertThat(rv(added)).isEqualTo(created);

            long modified = Long.parseLong(relabel(ns, "c", Map.of("v", "2")).resourceVersion());
            ObjectNode mod = w.next();
            assertEvent(mod, "MODIFIED", "c");
            assertThat(rv(mod)).isEqualTo(modified);
            assertThat(mod.path("object").path("metadata").path("labels").path("v").asString()).isEqualTo("2");

            assertThat(api.delete(SERVICES.item(ns, "c")).status()).isEqualTo(200);
            ObjectNode del = w.next();
            assertEvent(del, "DELETED", "c");
            assertThat(rv(del)).isGreaterThan(modified);
        }
    }

    @Test
    void fromEmptyResourceVersionSendsExistingThenLiveEvents() {
        existingThenLive("w-empty", "");
    }

    @Test
    void fromResourceVersionZeroSendsExistingThenLiveEvents() {
        existingThenLive("w-zero", "&resourceVersion=0");
    }

    @Test
    void fromSpecificResourceVersionSendsOnlyLaterEvents() {
        api.createNamespace("w-from");
        long rvA = Long.parseLong(create("w-from", "a", Map.of()).resourceVersion());
        long rvB = Long.parseLong(create("w-from", "b", Map.of()).resourceVersion());
        long rvA2 = Long.parseLong(relabel("w-from", "a", Map.of("v", "2")).resourceVersion());
        try (WatchStream w = api.watch(SERVICES.collection("w-from") + "?watch=true&resourceVersion=" + rvA)) {
            ObjectNode first = w.next();
            assertEvent(first, "ADDED", "b");
            assertThat(rv(first)).isEqualTo(rvB);
            ObjectNode second = w.next();
            assertEvent(second, "MODIFIED", "a");
            assertThat(rv(second)).isEqualTo(rvA2);
            create("w-from", "c", Map.of());
            assertEvent(w.next(), "ADDED", "c");
        }
    }

    @Test
    void labelSelectorWatchSeesObjectsLeaveAndEnter() {
        api.createNamespace("w-sel");
        try (WatchStream w = api.watch(SERVICES.collection("w-sel") + "?watch=true&labelSelector=app%3Dweb")) {
            create("w-sel", "x", Map.of("app", "web"));
            assertEvent(w.next(), "ADDED", "x");

            long left = Long.parseLong(relabel("w-sel", "x", Map.of("app", "db")).resourceVersion());
            ObjectNode gone = w.next();
            assertEvent(gone, "DELETED", "x");
            assertThat(rv(gone)).isEqualTo(left);

            relabel("w-sel", "x", Map.of("app", "web"));
            assertEvent(w.next(), "ADDED", "x");

            create("w-sel", "y", Map.of("app", "db"));
            relabel("w-sel", "x", Map.of("app", "web", "v", "2"));
            ObjectNode mod = w.next();
            assertEvent(mod, "MODIFIED", "x");
            assertThat(api.delete(SERVICES.item("w-sel", "x")).status()).isEqualTo(200);
            assertEvent(w.next(), "DELETED", "x");
        }
    }

    @Test
    void allNamespacesWatch() {
        api.createNamespace("w-all-1");
        api.createNamespace("w-all-2");
        try (WatchStream w = api.watch("/api/v1/services?watch=true&labelSelector=watch%3Dall")) {
            create("w-all-1", "s", Map.of("watch", "all"));
            create("w-all-2", "s", Map.of("watch", "all"));
            ObjectNode e1 = w.next();
            ObjectNode e2 = w.next();
            assertThat(List.of(e1.path("object").path("metadata").path("namespace").asString(),
                    e2.path("object").path("metadata").path("namespace").asString()))
                    .containsExactly("w-all-1", "w-all-2");
        }
    }

    @Test
    void timeoutSecondsEndsTheStream() {
        api.createNamespace("w-timeout");
        create("w-timeout", "a", Map.of());
        long started = System.nanoTime();
        try (WatchStream w = api.watch(SERVICES.collection("w-timeout") + "?watch=true&timeoutSeconds=1")) {
            List<ObjectNode> events = w.awaitEnd(Duration.ofSeconds(5));
            assertThat(events).hasSize(1);
            assertEvent(events.get(0), "ADDED", "a");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void bookmarksCarryACurrentResourceVersion() {
        api.createNamespace("w-bookmark");
        create("w-bookmark", "a", Map.of());
        long listRv = Long.parseLong(api.get(SERVICES.collection("w-bookmark")).json().path("metadata")
                .path("resourceVersion").asString());
        try (WatchStream w = api.watch(SERVICES.collection("w-bookmark")
                + "?watch=true&allowWatchBookmarks=true&resourceVersion=" + listRv)) {
            ObjectNode ev = w.next(Duration.ofSeconds(15));
            assertThat(ev.path("type").asString()).isEqualTo("BOOKMARK");
            assertThat(ev.path("object").path("kind").asString()).isEqualTo("Service");
            assertThat(ev.path("object").path("apiVersion").asString()).isEqualTo("v1");
            assertThat(rv(ev)).as("a bookmark never goes back behind the revision the watch started from "
                    + "(a client resuming from it must not get 410)").isGreaterThanOrEqualTo(listRv);
        }
    }

    @Test
    void tooOldResourceVersionGetsExpiredError() throws Exception {
        try (ApiServer small = ApiServer.start(
                ApiServer.Config.defaults("127.0.0.1", 0).withHistoryPerType(5), new MemoryStore(), Clock.systemUTC())) {
            ApiClient c = new ApiClient(small.port());
            c.createNamespace("old");
            List<Long> rvs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Resp r = c.post(SERVICES.collection("old"), Fixtures.service("s" + i, Map.of()));
                rvs.add(Long.parseLong(r.resourceVersion()));
            }
            long first = rvs.get(0);
            try (WatchStream w = c.watch(SERVICES.collection("old") + "?watch=true&resourceVersion=" + first)) {
                assertThat(w.status).isEqualTo(200);
                List<ObjectNode> events = w.awaitEnd(Duration.ofSeconds(5));
                assertThat(events).hasSize(1);
                ObjectNode err = events.get(0);
                assertThat(err.path("type").asString()).isEqualTo("ERROR");
                ObjectNode status = (ObjectNode) err.get("object");
                assertThat(status.path("kind").asString()).isEqualTo("Status");
                assertThat(status.path("apiVersion").asString()).isEqualTo("v1");
                assertThat(status.path("status").asString()).isEqualTo("Failure");
                assertThat(status.path("reason").asString()).isEqualTo("Expired");
                assertThat(status.path("code").asInt()).isEqualTo(410);
                assertThat(status.path("message").asString()).startsWith("too old resource version: " + first + " (");
            }
            // The newest events are still held: resuming from there works.
            long recent = rvs.get(8);
            try (WatchStream w = c.watch(SERVICES.collection("old") + "?watch=true&resourceVersion=" + recent)) {
                assertEvent(w.next(), "ADDED", "s9");
            }
        }
    }

    @Test
    void webSocketWatchGetsTheSameEvents() throws Exception {
        api.createNamespace("w-ws");
        create("w-ws", "before", Map.of());
        try (ApiClient.WsWatch ws = api.webSocketWatch(SERVICES.collection("w-ws") + "?watch=true")) {
            assertEvent(ws.next(), "ADDED", "before");
            long created = Long.parseLong(create("w-ws", "live", Map.of()).resourceVersion());
            ObjectNode added = ws.next();
            assertEvent(added, "ADDED", "live");
            assertThat(rv(added)).isEqualTo(created);
            relabel("w-ws", "live", Map.of("v", "2"));
            assertEvent(ws.next(), "MODIFIED", "live");
            assertThat(api.delete(SERVICES.item("w-ws", "live")).status()).isEqualTo(200);
            assertEvent(ws.next(), "DELETED", "live");
        }
    }

    @Test
    void webSocketWatchWithBadSelectorIsRefusedWithAStatus() {
        Throwable failure = catchThrowable(
                () -> api.webSocketWatch("/api/v1/services?watch=true&labelSelector=a%20b%20c").close());
        assertThat(failure).isNotNull();
        Throwable cause = failure instanceof ExecutionException ? failure.getCause() : failure;
        assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
        HttpResponse<?> resp = ((WebSocketHandshakeException) cause).getResponse();
        assertThat(resp.statusCode()).isEqualTo(400);
        assertThat(String.valueOf(resp.body())).contains("\"kind\":\"Status\"").contains("\"code\":400");
    }

    @Test
    void watchParameterErrorsDoNotLeakWatchSlots() throws Exception {
        try (ApiServer two = ApiServer.start(
                ApiServer.Config.defaults("127.0.0.1", 0).withMaxWatchers(2).withHistoryPerType(100), new MemoryStore(), Clock.systemUTC())) {
            ApiClient c = new ApiClient(two.port());
            for (int i = 0; i < 5; i++) {
                assertStatus(c.get("/api/v1/services?watch=true&timeoutSeconds=soon"), 400, "BadRequest",
                        "invalid timeoutSeconds: soon");
            }
            try (WatchStream w1 = c.watch("/api/v1/services?watch=true");
                    WatchStream w2 = c.watch("/api/v1/services?watch=true")) {
                assertThat(w1.status).as("a watch after failed ones gets a slot").isEqualTo(200);
                assertThat(w2.status).isEqualTo(200);
                assertStatus(c.get("/api/v1/services?watch=true&timeoutSeconds=1"), 429, "TooManyRequests", null);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (WatchStream w = c.watch("/api/v1/services?watch=true&timeoutSeconds=1")) {
                    assertThat(w.status).as("slots come back when clients go").isEqualTo(200);
                }
            });
        }
    }
}
