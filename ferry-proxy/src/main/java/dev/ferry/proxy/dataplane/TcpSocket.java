package dev.ferry.proxy.dataplane;

import io.netty.channel.unix.Buffer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * A non-blocking TCP {@link RawSocket}. Reads and writes are recv(2) and send(2) on the buffer's memory address
 * (socket calls, cheaper in the kernel than read(2) and write(2), and no JNI buffer lookup); they return bytes moved,
 * 0 when the socket would block, -1 at end of input; errors throw.
 */
final class TcpSocket extends RawSocket {
    /** IP_BIND_ADDRESS_NO_PORT (linux/in.h) at level IPPROTO_IP, which Linux honours on IPv6 sockets too. */
    private static final int IPPROTO_IP = 0;
    private static final int IP_BIND_ADDRESS_NO_PORT = 24;

    TcpSocket(int fd) {
        super(fd);
    }

    /** A new non-blocking stream socket of {@code address}'s family. */
    static TcpSocket open(InetAddress address) {
        return new TcpSocket(newSocketStream0(address instanceof Inet6Address));
    }

    /**
     * Binds the local address only; the port is chosen at connect time, per destination, so binding a client's
     * address does not use up that address's ephemeral ports.
     */
    void bindAddressOnly(InetAddress local) throws IOException {
        setIntOpt(IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1);
        bind(new java.net.InetSocketAddress(local, 0));
    }

    /** Reads into {@code buffer} (direct) from its position up to its limit; the position is not moved. */
    int readInto(ByteBuffer buffer) throws IOException {
        return recvAddress(Buffer.memoryAddress(buffer), buffer.position(), buffer.limit());
    }

    /** Writes {@code buffer} (direct) from its position up to its limit; the position is not moved. */
    int writeFrom(ByteBuffer buffer) throws IOException {
        return sendAddress(Buffer.memoryAddress(buffer), buffer.position(), buffer.limit());
    }

    /** Closes with a TCP RST (SO_LINGER 0), so the peer sees "connection reset" at once. */
    void reset() {
        resetOnClose();
        closeQuietly();
    }

    /** Makes the coming close send a TCP RST (SO_LINGER 0). */
    void resetOnClose() {
        try {
            setSoLinger(0);
        } catch (IOException e) {
            // the socket is already broken; closing is all that is left
        }
    }
}
