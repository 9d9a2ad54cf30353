package dev.ferry.proxy.dataplane;

import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.DatagramSocketAddress;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A non-blocking UDP {@link RawSocket}. Each call moves one datagram between the socket and a direct buffer (from
 * position 0 unless an offset is given), passed to the system call by its memory address. Errors (e.g. ECONNREFUSED
 * after an ICMP port unreachable on a connected socket) throw.
 */
final class UdpSocket extends RawSocket {
    UdpSocket(int fd) {
        super(fd);
    }

    /** A new non-blocking datagram socket of {@code address}'s family. */
    static UdpSocket open(InetAddress address) {
        return new UdpSocket(newSocketDgram0(address instanceof Inet6Address));
    }

    /**
     * Receives one datagram into {@code buffer} from {@code offset} on; its sender, whose
     * {@link DatagramSocketAddress#receivedAmount()} is the datagram's length, or null when none is waiting. A
     * datagram longer than the room up to the buffer's capacity is cut.
     */
    DatagramSocketAddress receiveFrom(ByteBuffer buffer, int offset) throws IOException {
        return recvFromAddress(Buffer.memoryAddress(buffer), offset, buffer.capacity());
    }

    /** Receives one datagram of the connected peer into {@code buffer}: its length, or -1 when none is waiting. */
    int receive(ByteBuffer buffer) throws IOException {
        int n = recvAddress(Buffer.memoryAddress(buffer), 0, buffer.capacity());
        // Socket.recv reports an empty datagram as -1 (end of input, for streams) and "would block" as 0
        return n > 0 ? n : n < 0 ? 0 : -1;
    }

    /**
     * Sends the {@code length} bytes of {@code buffer} at {@code offset} to the connected peer; false when the socket
     * is full.
     */
    boolean sendRange(ByteBuffer buffer, int offset, int length) throws IOException {
        return sendAddress(Buffer.memoryAddress(buffer), offset, offset + length) > 0 || length == 0;
    }

    /** Sends the first {@code length} bytes of {@code buffer} to {@code to}; false when the socket is full. */
    boolean sendTo(ByteBuffer buffer, int length, InetSocketAddress to) throws IOException {
        long address = Buffer.memoryAddress(buffer);
        return sendToAddress(address, 0, length, to.getAddress(), to.getPort()) > 0 || length == 0;
    }
}
