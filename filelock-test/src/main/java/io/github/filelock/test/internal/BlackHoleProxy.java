package io.github.filelock.test.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy of the test's own between a client and the server. {@link #blackHole()} stops forwarding in both
 * directions without closing either side, as a network that drops every packet would look to the client.
 * {@link #cutServerSide()} then closes the server's side, which is what the server's own TCP keepalive does when it
 * gives up on a silent client (through a proxy the server's probes are answered by the proxy's kernel, so the test
 * has to stand in for that clock).
 */
public final class BlackHoleProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> serverSides = new CopyOnWriteArrayList<>();
    private final List<Socket> all = new CopyOnWriteArrayList<>();
    private volatile boolean blackHole;

    public BlackHoleProxy(String host, int port) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                all.add(client);
                all.add(server);
                serverSides.add(server);
                pump(client, server, "proxy-up");
                pump(server, client, "proxy-down");
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void pump(Socket from, Socket to, String name) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (blackHole) {
                        parkForever(); // neither forward nor close: the bytes just vanish
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            }
            if (!blackHole) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static void parkForever() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public void blackHole() {
        blackHole = true;
    }

    public void cutServerSide() {
        serverSides.forEach(BlackHoleProxy::closeQuietly);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        all.forEach(BlackHoleProxy::closeQuietly);
    }
}
