package io.dagctl.dags;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a server that drops its first connection after the server has sent a given number of
 * bytes, as a database that dies in the middle of a reply would; later connections pass untouched.
 */
final class ConnectionCuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final long cutAfterBytes;
    private final AtomicInteger connections = new AtomicInteger();

    ConnectionCuttingProxy(int targetPort, long cutAfterBytes) {
        this.targetPort = targetPort;
        this.cutAfterBytes = cutAfterBytes;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "cutting-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                long limit = connections.getAndIncrement() == 0 ? cutAfterBytes : Long.MAX_VALUE;
                pump(client.getInputStream(), server.getOutputStream(), Long.MAX_VALUE, client, server);
                pump(server.getInputStream(), client.getOutputStream(), limit, client, server);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(InputStream from, OutputStream to, long limit, Socket... both) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            long sent = 0;
            try {
                int read;
                while (sent < limit && (read = from.read(buffer)) >= 0) {
                    int allowed = (int) Math.min(read, limit - sent);
                    to.write(buffer, 0, allowed);
                    to.flush();
                    sent += allowed;
                }
            } catch (IOException ignored) {
                // The other direction closed the sockets.
            } finally {
                for (Socket socket : both) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // Already closed.
                    }
                }
            }
        });
        pump.setDaemon(true);
        pump.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
