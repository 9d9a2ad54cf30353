package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Frontend;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.net.BindException;

/** Socket operations the listeners and connections share. */
final class Sockets {
    private Sockets() {
    }

    /**
     * The error for a failed bind: a {@link BindException} naming the frontend and the errno text (e.g. "Address
     * already in use", "Permission denied"), or {@code cause} itself when it is not a socket error.
     */
    static Exception bindError(Frontend frontend, Throwable cause) {
        if (cause instanceof Errors.NativeIoException || cause instanceof java.net.SocketException) {
            String message = cause.getMessage();
            int colon = message == null ? -1 : message.lastIndexOf("): ");
            String reason = colon < 0 ? String.valueOf(message) : message.substring(colon + 3);
            BindException e = new BindException("cannot bind " + frontend + ": " + reason);
            e.initCause(cause);
            return e;
        }
        return cause instanceof Exception ex ? ex : new RuntimeException(cause);
    }

    /**
     * On {@code loop}'s thread: binds {@code socket} to {@code frontend} with SO_REUSEADDR and SO_REUSEPORT (so several
     * proxies on one machine can share a service address), listens when {@code backlog} > 0, and registers it for
     * input, level-triggered: {@code readable} runs at each readiness event, {@code loopClosing} when the loop shuts
     * down. On failure the socket is closed and the error thrown (callers report it as {@link #bindError}).
     */
    static IoRegistration bindAndRegister(IoEventLoop loop, RawSocket socket, int backlog, Frontend frontend,
            Runnable readable, Runnable loopClosing) throws IOException {
        IoRegistration registration = null;
        try {
            socket.setReuseAddress(true);
            socket.setReusePort(true);
            socket.bind(frontend.socketAddress());
            if (backlog > 0) {
                socket.listen(backlog);
            }
            registration = loop.register(new FrontendHandle(socket, readable, loopClosing)).getNow();
            registration.submit(EpollIoOps.EPOLLIN);
            return registration;
        } catch (IOException | RuntimeException e) {
            socket.closeQuietly();
            if (registration != null) {
                registration.cancel();
            }
            throw e;
        }
    }

    /** A frontend socket's handle on its event loop. */
    private record FrontendHandle(RawSocket socket, Runnable readable, Runnable loopClosing) implements EpollIoHandle {
        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            readable.run();
        }

        @Override
        public void close() {
            loopClosing.run();
        }
    }
}
