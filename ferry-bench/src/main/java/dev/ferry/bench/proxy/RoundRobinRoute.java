package dev.ferry.bench.proxy;

import dev.ferry.proxy.route.Backend;
import dev.ferry.proxy.route.Pick;
import dev.ferry.proxy.route.Route;
import dev.ferry.proxy.route.ServicePortName;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's route: plain round robin over fixed backends, the chosen one first and the others after it (so a
 * refused connection is retried on the next). The picks are built once; picking allocates nothing. Thread-safe.
 */
final class RoundRobinRoute implements Route {
    private final ServicePortName servicePort;
    private final Pick[] picks;
    private final Set<Backend> backends;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobinRoute(ServicePortName servicePort, List<InetSocketAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no backends");
        }
        this.servicePort = servicePort;
        List<Backend> list = addresses.stream().map(a -> new Backend(a, "bench")).toList();
        this.backends = Set.copyOf(list);
        this.picks = new Pick[list.size()];
        for (int first = 0; first < list.size(); first++) {
            List<Backend> rotated = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                rotated.add(list.get((first + i) % list.size()));
            }
            picks[first] = new Pick(rotated, null);
        }
    }

    @Override
    public ServicePortName servicePort() {
        return servicePort;
    }

    @Override
    public Pick pick(InetSocketAddress client) {
        return picks[Math.floorMod(next.getAndIncrement(), picks.length)];
    }

    @Override
    public void connected(InetSocketAddress client, Backend backend) {
    }

    @Override
    public boolean serves(Backend backend) {
        return backends.contains(backend);
    }
}
