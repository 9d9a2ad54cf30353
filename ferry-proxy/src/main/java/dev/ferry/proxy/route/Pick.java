package dev.ferry.proxy.route;

import java.net.InetAddress;
import java.util.List;

/**
 * The decision for one new connection or UDP flow.
 *
 * @param candidates backends to try in order; the first is the choice, the rest are retried only when connecting
 *     to an earlier one fails. Empty means refuse.
 * @param source the local address the upstream connection binds to (the client's address, so the pod sees the
 *     real client), or null to let the kernel choose (masquerade).
 */
public record Pick(List<Backend> candidates, InetAddress source) {

    public static final Pick REFUSE = new Pick(List.of(), null);

    public Pick {
        candidates = List.copyOf(candidates);
    }

    public boolean refused() {
        return candidates.isEmpty();
    }
}
