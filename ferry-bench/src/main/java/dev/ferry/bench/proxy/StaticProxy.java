package dev.ferry.bench.proxy;

import dev.ferry.proxy.ProxyConfig;
import dev.ferry.proxy.dataplane.DataPlaneConfig;
import dev.ferry.proxy.dataplane.NettyDataPlane;
import dev.ferry.proxy.model.EndpointInfo;
import dev.ferry.proxy.model.NodeDirectory;
import dev.ferry.proxy.model.ServicePortInfo;
import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.ServicePortName;
import dev.ferry.proxy.route.ServicePortState;
import dev.ferry.proxy.route.ServiceRoute;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Ferry's data plane as a stand-alone proxy for the peer benchmarks' {@code ext} target: one frontend
 * ({@code LISTEN}, TCP or UDP) round-robin over {@code BACKENDS}, with {@link NettyDataPlane} and its default
 * configuration (one event loop per available CPU).
 *
 * <p>Before it binds {@code LISTEN} it warms itself up for {@code --warmup-seconds} through a second frontend on a
 * free port of 127.0.0.1 with the same backends ({@link Warmup}: HTTP keep-alive, connection per request and 1 MiB
 * bodies for TCP, DNS queries for UDP), so the JIT has compiled the data path before the harness sees the port.
 * Runs until SIGTERM.
 */
public final class StaticProxy {
    private static final String USAGE = """
            usage: StaticProxy [--listen IP:PORT] [--backends IP:PORT,...] [--protocol tcp|udp] [--warmup-seconds N]
              --listen and --backends default to the environment variables LISTEN and BACKENDS (the peer scripts'
              ext target sets them); --protocol defaults to tcp; --warmup-seconds to 5 (0 disables).""";

    private StaticProxy() {
    }

    public static void main(String[] args) throws Exception {
        String listen = System.getenv("LISTEN");
        String backends = System.getenv("BACKENDS");
        Protocol protocol = Protocol.TCP;
        double warmupSeconds = 5;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h") || i + 1 >= args.length) {
                System.err.println(USAGE);
                System.exit(flag.startsWith("-h") || flag.equals("--help") ? 0 : 2);
            }
            String value = args[++i];
            switch (flag) {
                case "--listen" -> listen = value;
                case "--backends" -> backends = value;
                case "--protocol" -> protocol = Protocol.valueOf(value.toUpperCase());
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value);
                default -> {
                    System.err.println("unknown option " + flag + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        if (listen == null || backends == null) {
            System.err.println("need --listen and --backends (or LISTEN and BACKENDS)\n" + USAGE);
            System.exit(2);
        }
        InetSocketAddress listenAddress = address(listen);
        List<InetSocketAddress> backendAddresses = new ArrayList<>();
        for (String b : backends.split(",")) {
            backendAddresses.add(address(b.strip()));
        }
        Frontend frontend = new Frontend(listenAddress.getAddress(), listenAddress.getPort(), protocol);
        Route route = clusterIpRoute(frontend, backendAddresses);

        NettyDataPlane dataPlane = new NettyDataPlane(DataPlaneConfig.defaults());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dataPlane.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.printf("ferry proxy: %s -> %s, config %s%n", frontend, backendAddresses, dataPlane.config());

        if (warmupSeconds > 0) {
            Frontend warm = new Frontend(InetAddress.getLoopbackAddress(), freePort(protocol), protocol);
            check(dataPlane.apply(Map.of(warm, route)));
            long start = System.nanoTime();
            String done = protocol == Protocol.TCP
                    ? Warmup.http(warm.socketAddress(), (long) (warmupSeconds * 1e9))
                    : Warmup.dns(warm.socketAddress(), (long) (warmupSeconds * 1e9));
            System.out.printf("ferry proxy: warm-up %s in %.1f s%n", done, (System.nanoTime() - start) / 1e9);
        }
        Map<Frontend, Route> routes = new LinkedHashMap<>();
        routes.put(frontend, route);
        check(dataPlane.apply(routes));
        System.out.println("ferry proxy: listening on " + frontend);
        System.out.flush();
        stopped.await();
    }

    /**
     * The route Ferry's proxy gives a ClusterIP frontend of a Service whose endpoints are {@code backends}: the real
     * {@link ServiceRoute} (round robin, retry candidates, the client's address kept toward the backend).
     */
    static Route clusterIpRoute(Frontend frontend, List<InetSocketAddress> backends) {
        ServicePortName name = new ServicePortName("bench", "proxy", "", frontend.protocol());
        ServicePortInfo svc = new ServicePortInfo(name, List.of(frontend.address()), frontend.port(), 0, List.of(),
                List.of(), List.of(), null, false, false, 0);
        List<EndpointInfo> endpoints = backends.stream().map(b -> new EndpointInfo(b.getAddress(), b.getPort(),
                "bench", "", true, true, false, Set.of(), Set.of())).toList();
        return new ServiceRoute(svc, ServiceRoute.Kind.CLUSTER_IP, endpoints, NodeDirectory.of("bench", List.of()),
                null, new ServicePortState(), System::nanoTime, ProxyConfig.DEFAULT_MAX_CANDIDATES);
    }

    private static void check(Map<Frontend, Exception> failures) {
        if (!failures.isEmpty()) {
            failures.forEach((f, e) -> System.err.println("cannot serve " + f + ": " + e.getMessage()));
            System.exit(1);
        }
    }

    private static int freePort(Protocol protocol) throws IOException {
        if (protocol == Protocol.UDP) {
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not IP:PORT: " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
