package dev.ferry.proxy.dataplane;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The far side of {@link IdleConnectionsTest}, in its own process so that its descriptors do not count against the
 * proxy's: an echo backend, and a client that opens idle connections through the proxy on request.
 *
 * <p>Protocol on stdin/stdout: prints {@code backend PORT}; on the line {@code go} opens COUNT connections from
 * CLIENT_IP to FRONTEND and prints {@code connected COUNT}; exits at the end of stdin.
 */
public final class IdleClients {
    private IdleClients() {
    }

    /** Arguments: BACKEND_IP FRONTEND_IP FRONTEND_PORT CLIENT_IP COUNT. */
    public static void main(String[] args) throws Exception {
        InetSocketAddress frontend = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
        InetAddress client = InetAddress.getByName(args[3]);
        int count = Integer.parseInt(args[4]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (TcpBackend backend = new TcpBackend("b0", new InetSocketAddress(InetAddress.getByName(args[0]), 0),
                TcpBackend.Mode.ECHO)) {
            System.out.println("backend " + backend.address.getPort());
            System.out.flush();
            if (!"go".equals(in.readLine())) {
                return;
            }
            List<SocketChannel> idle = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                SocketChannel c = SocketChannel.open();
                idle.add(c);
                c.bind(new InetSocketAddress(client, 0));
                c.connect(frontend);
            }
            System.out.println("connected " + count);
            System.out.flush();
            while (in.readLine() != null) {
                // hold the connections until the test ends
            }
            for (SocketChannel c : idle) {
                c.close();
            }
        }
    }
}
