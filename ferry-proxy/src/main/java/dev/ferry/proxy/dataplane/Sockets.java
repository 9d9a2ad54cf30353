package dev.ferry.proxy.dataplane;

import dev.ferry.proxy.route.Frontend;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;

/** Socket operations the listeners and connections share. */
final class Sockets {
    private static final ChannelFutureListener SHUTDOWN_OUTPUT = f -> shutdownOutputNow(f.channel());

    private Sockets() {
    }

    static SocketProtocolFamily family(InetAddress address) {
        return address instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    }

    /**
     * Closes {@code ch} with a TCP RST (SO_LINGER 0) so the peer sees "connection reset" at once. Works on an accepted
     * channel that was never registered, too.
     */
    static void reset(Channel ch) {
        if (!ch.isOpen()) {
            return;
        }
        try {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            // the socket is already gone; close anyway
        }
        if (ch.isRegistered()) {
            ch.close();
        } else {
            ch.unsafe().closeForcibly();
        }
    }

    /** Closes {@code ch} once everything written to it so far is flushed (a FIN after the data). */
    static void closeOnFlush(Channel ch) {
        if (ch.isActive() && hasPendingWrites(ch)) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }

    /**
     * Shuts the output of {@code ch} down once everything written to it so far is flushed (a FIN after the data), and
     * from then on treats its end of input as the end of the connection (half-closure off: both directions are done).
     */
    static void shutdownOutputOnFlush(Channel ch) {
        if (hasPendingWrites(ch)) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(SHUTDOWN_OUTPUT);
        } else {
            shutdownOutputNow(ch);
        }
    }

    /**
     * shutdown(SHUT_WR) on the socket itself: Netty's {@code shutdownOutput()} builds an exception with a stack trace
     * each time (to fail writes that nobody makes here).
     */
    private static void shutdownOutputNow(Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        try {
            ((Socket) ((UnixChannel) ch).fd()).shutdown(false, true);
            ((SocketChannelConfig) ch.config()).setAllowHalfClosure(false);
        } catch (IOException e) {
            ch.close();
        }
    }

    private static boolean hasPendingWrites(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out != null && !out.isEmpty();
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
