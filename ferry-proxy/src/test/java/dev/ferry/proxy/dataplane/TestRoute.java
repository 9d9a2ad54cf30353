package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Pick;
import dev.ferry.proxy.route.Protocol;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.ServicePortName;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A route for tests: round robin over its backends, each pick listing the chosen backend first and then the others
 * in order (or the fixed candidate list when given), optionally binding the client's address. Records
 * {@link #connected} calls.
 */
final class TestRoute implements Route {
    private final ServicePortName port;
    private final List<Backend> backends;
    private final List<Backend> fixedCandidates;
    private final boolean bindSource;
    private final AtomicInteger next = new AtomicInteger();
    final List<String> connected = new CopyOnWriteArrayList<>();

    private TestRoute(ServicePortName port, List<Backend> backends, List<Backend> fixedCandidates,
            boolean bindSource) {
        this.port = port;
        this.backends = backends;
        this.fixedCandidates = fixedCandidates;
        this.bindSource = bindSource;
    }

    static TestRoute roundRobin(Protocol protocol, InetSocketAddress... addresses) {
        return new TestRoute(port(protocol), backends(addresses), null, false);
    }

    /** Every pick tries {@code addresses} in this order. */
    static TestRoute candidates(Protocol protocol, InetSocketAddress... addresses) {
        List<Backend> list = backends(addresses);
        return new TestRoute(port(protocol), list, list, false);
    }

    static TestRoute refusing(Protocol protocol) {
        return new TestRoute(port(protocol), List.of(), null, false);
    }

    TestRoute bindingSource() {
        return new TestRoute(port, backends, fixedCandidates, true);
    }

    static Backend backend(InetSocketAddress address) {
        return new Backend(address, "node-a");
    }

    private static ServicePortName port(Protocol protocol) {
        return new ServicePortName("default", "svc", protocol.name().toLowerCase(), protocol);
    }

    private static List<Backend> backends(InetSocketAddress... addresses) {
        List<Backend> list = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            list.add(backend(a));
        }
        return List.copyOf(list);
    }

    @Override
    public ServicePortName servicePort() {
        return port;
    }

    @Override
    public Pick pick(InetSocketAddress client) {
        if (backends.isEmpty()) {
            return Pick.REFUSE;
        }
        List<Backend> candidates;
        if (fixedCandidates != null) {
            candidates = fixedCandidates;
        } else {
            int first = Math.floorMod(next.getAndIncrement(), backends.size());
            candidates = new ArrayList<>();
            for (int i = 0; i < backends.size(); i++) {
                candidates.add(backends.get((first + i) % backends.size()));
            }
        }
        return new Pick(candidates, bindSource ? client.getAddress() : null);
    }

    @Override
    public void connected(InetSocketAddress client, Backend backend) {
        connected.add(client.getAddress().getHostAddress() + "->" + backend);
    }

    @Override
    public boolean serves(Backend backend) {
        return backends.contains(backend);
    }
}
