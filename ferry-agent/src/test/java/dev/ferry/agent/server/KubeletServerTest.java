package dev.ferry.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeletServerTest {
    @TempDir
    Path dir;
    private Path log;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private KubeletServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        log = dir.resolve("0.log");
        Files.writeString(log, "a\nb\nc\n");
        server = KubeletServer.start("127.0.0.1", 0, (ns, pod, container, previous) -> {
            if (!pod.equals("p")) {
                throw new ContainerLogs.NotFound("pods \"" + pod + "\" not found");
            }
            if (previous) {
                throw new ContainerLogs.NotFound("previous terminated container \"" + container + "\" in pod \""
                        + pod + "\" not found");
            }
            return new ContainerLogs.Log(log, ended);
        }, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "''|a\\nb\\nc\\n",
        "?tailLines=2|b\\nc\\n",
        "?tailLines=0|''",
        "?tailLines=10|a\\nb\\nc\\n",
        "?limitBytes=3|a\\nb",
        "?tailLines=2&limitBytes=1|b",
        "?sinceSeconds=3600|a\\nb\\nc\\n"})
    void servesTheLog(String query, String body) throws Exception {
        HttpResponse<String> r = get("/containerLogs/ns/p/c" + query);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(r.body()).isEqualTo(body.replace("\\n", "\n"));
    }

    @Test
    void notFoundMessages() throws Exception {
        HttpResponse<String> r = get("/containerLogs/ns/q/c");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("pods \"q\" not found");
        r = get("/containerLogs/ns/p/c?previous=true");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("previous terminated container \"c\" in pod \"p\" not found");
    }

    @Test
    void followStreamsUntilTheContainerEnds() throws Exception {
        CompletableFuture<HttpResponse<String>> r = http.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/containerLogs/ns/p/c?follow=true")).build(),
                HttpResponse.BodyHandlers.ofString());
        Files.writeString(log, "d\n", StandardOpenOption.APPEND);
        assertThat(r).isNotDone();
        ended.complete(null);
        assertThat(r.get(10, TimeUnit.SECONDS).body()).isEqualTo("a\nb\nc\nd\n");
    }

    @Test
    void healthz() throws Exception {
        assertThat(get("/healthz").body()).isEqualTo("ok");
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0} lines of \"{1}\" start at {2}")
    @CsvSource(delimiter = '|', value = {
        "1|a\\nb\\nc\\n|4",
        "1|a\\nb\\nc|4",
        "2|a\\nb\\nc|2",
        "3|a\\nb\\nc\\n|0",
        "5|a\\nb\\nc\\n|0",
        "0|a\\nb\\nc\\n|6",
        "1|''|0"})
    void tailOffsets(long lines, String content, long offset) throws Exception {
        Path f = dir.resolve("t.log");
        Files.writeString(f, content.replace("\\n", "\n"));
        assertThat(LogFiles.tailOffset(f, lines)).isEqualTo(offset);
    }
}
