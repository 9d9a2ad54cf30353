package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Frontend;
import dev.ferry.proxy.route.Route;
import io.netty.util.concurrent.Future;

/**
 * One bound frontend. The sync thread binds, swaps and closes it; its event loop serves it. The route is read once per
 * new connection or flow.
 */
sealed interface Listener permits TcpListener, UdpListener {

    Frontend frontend();

    Route route();

    /** Binds the frontend's address on an event loop; the future fails with the bind error. */
    Future<Void> bind();

    /**
     * Makes {@code next} the route of new traffic and applies the removal policy to traffic whose backend it does not
     * serve.
     */
    void swap(Route next);

    /**
     * Stops accepting; established TCP connections are left per the removal policy, UDP flows are closed (their
     * replies could no longer come from the frontend's address).
     */
    Future<?> close();
}
