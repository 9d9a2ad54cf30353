package dev.ferry.bench.jmh;

import dev.ferry.api.Json;
import dev.ferry.apiserver.storage.Codec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON work done per Service: the store encoding and decoding ({@link Codec}), the answer to a get, and one watch
 * event frame as the API server builds it for each watcher (copy the object, wrap it in {@code {"type","object"}},
 * serialise), which a fan-out to N watchers does N times per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServiceJsonBench {
    /** A Service as the server stores it after create: defaults and the allocated cluster IP filled in. */
    static final String SERVICE = """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"svc-000042","namespace":"bench-a",\
            "uid":"fb82a949-6f53-4df2-ba0f-63a9066f94f1","creationTimestamp":"2026-11-26T07:57:27Z",\
            "labels":{"app":"bench","tier":"web"},"resourceVersion":"12345"},\
            "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080}],\
            "selector":{"app":"bench"},"sessionAffinity":"None","type":"ClusterIP",\
            "internalTrafficPolicy":"Cluster","ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"],\
            "clusterIPs":["127.96.57.95"],"clusterIP":"127.96.57.95"},"status":{"loadBalancer":{}}}""";

    private ObjectNode service;
    private byte[] stored;

    @Setup
    public void setUp() {
        service = (ObjectNode) Json.MAPPER.readTree(SERVICE);
        stored = Codec.encode(service);
    }

    @Benchmark
    public byte[] storeEncode() {
        return Codec.encode(service);
    }

    @Benchmark
    public ObjectNode storeDecode() {
        return Codec.decode(stored, 12345);
    }

    @Benchmark
    public byte[] getAnswer() {
        return Json.MAPPER.writeValueAsBytes(service);
    }

    /** What the server does per watcher per event for a JSON watch. */
    @Benchmark
    public byte[] watchFramePerWatcher() {
        ObjectNode frame = Json.object();
        frame.put("type", "ADDED");
        frame.set("object", service.deepCopy());
        return frame.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
