package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Frontend;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;

/** Socket operations the listeners and connections share. */
final class Sockets {
    private Sockets() {
    }

    static SocketProtocolFamily family(InetAddress address) {
        return address instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
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
     * Registers {@code ch} with {@code loop} and binds it to {@code frontend}; {@code onBound} runs on the loop once
     * bound. The future fails with {@link #bindError} (the channel closed) when either step fails.
     */
    static Future<Void> registerAndBind(EventLoop loop, Channel ch, Frontend frontend, Runnable onBound) {
        Promise<Void> bound = loop.newPromise();
        loop.register(ch).addListener(registered -> {
            if (!registered.isSuccess()) {
                bound.setFailure(registered.cause());
                return;
            }
            ch.bind(frontend.socketAddress()).addListener(b -> {
                if (b.isSuccess()) {
                    onBound.run();
                    bound.setSuccess(null);
                } else {
                    ch.close();
                    bound.setFailure(bindError(frontend, b.cause()));
                }
            });
        });
        return bound;
    }
}
