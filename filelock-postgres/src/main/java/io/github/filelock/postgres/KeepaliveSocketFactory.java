package io.github.filelock.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * The driver's sockets for lock sessions, with TCP keepalive probing after {@code k} seconds of silence, every
 * {@code k}, three times, instead of the operating system's two hours: a session waiting in the server's queue
 * has no statement timeout, and this is what notices a server that went away under it. The driver makes it from
 * the {@code socketFactory} connection property and passes {@code k} as {@code socketFactoryArg}.
 */
public final class KeepaliveSocketFactory extends SocketFactory {

    private final int seconds;

    public KeepaliveSocketFactory(String seconds) {
        this.seconds = Integer.parseInt(seconds);
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket socket = new Socket();
        socket.setKeepAlive(true);
        try {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, seconds);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, seconds);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        } catch (UnsupportedOperationException | SocketException e) {
            // a platform without per-socket keepalive times keeps the system's; the held-session check still runs
        }
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException, UnknownHostException {
        Socket socket = createSocket();
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new java.net.InetSocketAddress(localHost, localPort));
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new java.net.InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = createSocket();
        socket.bind(new java.net.InetSocketAddress(localAddress, localPort));
        socket.connect(new java.net.InetSocketAddress(address, port));
        return socket;
    }
}
