package dev.ferry.proxy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatagramBatchTest {
    private final List<String> sent = new ArrayList<>();

    /** A target that records "name:datagram" for each datagram it is given. */
    private DatagramBatch.Target target(String name, int backendPort) {
        InetSocketAddress backend = new InetSocketAddress("127.0.0.1", backendPort);
        return new DatagramBatch.Target() {
            @Override
            public InetSocketAddress backendAddress() {
                return backend;
            }

            @Override
            public void forward(ByteBuffer buffer, int offset, int length) {
                byte[] bytes = new byte[length];
                buffer.get(offset, bytes);
                sent.add(name + ":" + new String(bytes, StandardCharsets.UTF_8));
            }
        };
    }

    /** Reads {@code text} into the batch as a receive would, and keeps it for {@code target}. */
    private static void read(DatagramBatch batch, DatagramBatch.Target target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        batch.buffer().put(batch.end(), bytes);
        batch.add(target, bytes.length);
    }

    @Test
    void forwardsBackendByBackendKeepingEachTargetsOrder() {
        DatagramBatch batch = new DatagramBatch(16);
        DatagramBatch.Target a = target("a", 1000);
        DatagramBatch.Target b = target("b", 2000);
        DatagramBatch.Target c = target("c", 1000); // another flow to a's backend
        read(batch, a, "1");
        read(batch, b, "2");
        read(batch, c, "3");
        read(batch, a, "4");
        read(batch, b, "5");
        read(batch, a, "");

        batch.forward();

        assertThat(sent).containsExactly("a:1", "c:3", "a:4", "a:", "b:2", "b:5");
    }

    @Test
    void forwardingEmptiesTheBatch() {
        DatagramBatch batch = new DatagramBatch(2);
        DatagramBatch.Target a = target("a", 1000);
        read(batch, a, "first");
        read(batch, a, "second");
        assertThat(batch.full()).isTrue();

        batch.forward();
        assertThat(batch.full()).isFalse();
        assertThat(batch.end()).isZero();
        read(batch, a, "third");
        batch.forward();

        assertThat(sent).containsExactly("a:first", "a:second", "a:third");
    }

    @Test
    void isFullOnceALargestDatagramWouldNotFit() {
        DatagramBatch batch = new DatagramBatch(16);
        DatagramBatch.Target a = target("a", 1000);
        batch.add(a, DatagramBatch.BYTES - Plane.SCRATCH_SIZE);
        assertThat(batch.full()).isFalse();

        batch.add(a, 1);

        assertThat(batch.full()).isTrue();
        assertThat(batch.end()).isEqualTo(DatagramBatch.BYTES - Plane.SCRATCH_SIZE + 1);
    }

    @Test
    void anEmptyBatchForwardsNothing() {
        new DatagramBatch(4).forward();

        assertThat(sent).isEmpty();
    }
}
