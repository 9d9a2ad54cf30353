package dev.ferry.proxy.dataplane;

import io.netty.channel.unix.Socket;
import java.io.IOException;

/**
 * A socket of the data plane: Netty's JNI socket used without a Netty channel around it (no pipeline, promises or
 * per-channel objects, and none of the system calls a channel makes to fill them in), registered with an event loop
 * as an {@link io.netty.channel.epoll.EpollIoHandle}'s descriptor. Not thread-safe: one event loop uses it.
 */
abstract sealed class RawSocket extends Socket permits TcpSocket, UdpSocket {
    RawSocket(int fd) {
        super(fd);
    }

    void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // close(2) released the descriptor even when it reports an error
        }
    }
}
