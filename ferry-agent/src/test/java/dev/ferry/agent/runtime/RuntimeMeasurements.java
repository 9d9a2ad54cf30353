package dev.ferry.agent.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers for the report, not assertions (run with {@code -Dtest=RuntimeMeasurements -Dferry.measure=true}):
 * built-in image start to listening, and agent heap per running container.
 */
@EnabledIfSystemProperty(named = "ferry.measure", matches = "true")
class RuntimeMeasurements {
    @TempDir
    Path dir;

    @Test
    void imageStartToListening() throws Exception {
        try (ProcessRuntime runtime = new ProcessRuntime(dir.resolve("state"), ImageCatalog.builtIns(),
                InstantSource.system())) {
            for (String image : List.of("ferry/serve-hostname", "ferry/echo")) {
                long[] millis = new long[15];
                for (int i = 0; i < millis.length; i++) {
                    String ip = "127.33.0." + (i + 1);
                    int port;
                    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(ip))) {
                        port = probe.getLocalPort();
                    }
                    long t0 = System.nanoTime();
                    Container c = runtime.start(launch(image, ip, port, i));
                    while (!connects(ip, port)) {
                        Thread.sleep(1);
                    }
                    millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    c.kill();
                    c.exit().get(30, TimeUnit.SECONDS);
                }
                long[] sorted = millis.clone();
                Arrays.sort(sorted);
                System.out.printf("MEASURE %s start->listening ms: first=%d p50=%d max=%d all=%s%n", image, millis[0],
                        sorted[sorted.length / 2], sorted[sorted.length - 1], Arrays.toString(millis));
            }
        }
    }

    @Test
    void agentHeapPerContainer() throws Exception {
        int n = 200;
        try (ProcessRuntime runtime = new ProcessRuntime(dir.resolve("state2"), ImageCatalog.builtIns(),
                InstantSource.system())) {
            runtime.start(launchSleep(-1)).kill(); // warm up classes
            long before = usedHeap();
            List<Container> containers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                containers.add(runtime.start(launchSleep(i)));
            }
            long after = usedHeap();
            System.out.printf("MEASURE process runtime: %d containers, heap %d bytes per container, threads %d%n", n,
                    (after - before) / n, java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount());
            for (Container c : containers) {
                c.kill();
            }
            for (Container c : containers) {
                c.exit().get(30, TimeUnit.SECONDS);
            }
        }
        SimulatedRuntime simulated = new SimulatedRuntime(InstantSource.system());
        long before = usedHeap();
        List<Container> containers = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            containers.add(simulated.start(launchSleep(i)));
        }
        long after = usedHeap();
        System.out.printf("MEASURE simulated runtime: %d containers, heap %d bytes per container%n", containers.size(),
                (after - before) / containers.size());
    }

    private ContainerLaunch launch(String image, String ip, int port, int i) {
        return new ContainerLaunch("uid-" + i, "ns", "pod-" + i, "main", 0, image, List.of(), List.of(),
                Map.of("POD_IP", ip, "PORT", String.valueOf(port), "HOSTNAME", "pod-" + i), "", ip,
                dir.resolve("logs/" + i + ".log"));
    }

    /** A typical small launch: ten variables (HOSTNAME, POD_IP, a few service links). */
    private ContainerLaunch launchSleep(int i) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("HOSTNAME", "web-5d8c7b9f4-" + i);
        env.put("POD_IP", "127.244.0." + (i % 250 + 2));
        for (String k : List.of("HOST", "PORT", "PORT_443_TCP", "PORT_443_TCP_PROTO", "PORT_443_TCP_PORT",
                "PORT_443_TCP_ADDR", "SERVICE_PORT_HTTPS", "SERVICE_PORT")) {
            env.put("KUBERNETES_" + k, "127.96.0.1");
        }
        return new ContainerLaunch("0f3c1a2e-5b7d-4c11-9a3e-" + String.format("%012d", i), "default",
                "web-5d8c7b9f4-" + i, "main", 0, "busybox", List.of("sleep", "1000"), List.of(), env, "",
                "127.244.0.2", dir.resolve("logs/sleep-" + i + ".log"));
    }

    private static boolean connects(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
