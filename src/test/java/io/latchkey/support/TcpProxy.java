package io.latchkey.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 that the test controls, made of plain sockets, to take a server away from the
 * application and give it back without the application knowing:
 * <ul>
 * <li>{@link #cut()}: every proxied connection is reset and the port refuses new ones, as when the database
 *     server stops;</li>
 * <li>{@link #blackHole()}: nothing is forwarded any more, in either direction, but nothing is closed either,
 *     and new connections are accepted and never answered, as when a network swallows the packets;</li>
 * <li>{@link #resume()}: connections from before are dropped (their bytes were lost) and new ones are forwarded
 *     again, on the same port.</li>
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode {
        FORWARD, CUT, BLACK_HOLE
    }

    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile Mode mode = Mode.FORWARD;
    private volatile ServerSocket server;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = listen(0);
        this.port = server.getLocalPort();
        accept(server);
    }

    public static TcpProxy start(String targetHost, int targetPort) {
        try {
            return new TcpProxy(new InetSocketAddress(targetHost, targetPort));
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public int port() {
        return port;
    }

    /** Resets every connection and stops accepting: connecting is refused. */
    public synchronized void cut() {
        mode = Mode.CUT;
        closeQuietly(server);
        dropAll(true);
    }

    /** Forwards nothing more and answers nothing, closes nothing. */
    public synchronized void blackHole() {
        mode = Mode.BLACK_HOLE;
    }

    /** Drops the connections from before and forwards new ones again. */
    public synchronized void resume() {
        dropAll(true);
        if (server.isClosed()) {
            try {
                server = listen(port);
            }
            catch (IOException ex) {
                throw new IllegalStateException("Cannot listen on port " + port + " again", ex);
            }
            accept(server);
        }
        mode = Mode.FORWARD;
    }

    @Override
    public synchronized void close() {
        mode = Mode.CUT;
        closeQuietly(server);
        dropAll(false);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return socket;
    }

    private void accept(ServerSocket listening) {
        daemon("tcp-proxy-accept-" + port, () -> {
            while (!listening.isClosed()) {
                Socket client;
                try {
                    client = listening.accept();
                }
                catch (IOException closed) {
                    return;
                }
                sockets.add(client);
                if (mode != Mode.FORWARD) {
                    // accepted, never answered: whatever the client sends is swallowed
                    daemon("tcp-proxy-hole", () -> pump(client, null, List.of(client)));
                    continue;
                }
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 2000);
                }
                catch (IOException ex) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                sockets.add(upstream);
                if (mode != Mode.FORWARD) {
                    // cut while connecting
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                List<Socket> pair = List.of(client, upstream);
                daemon("tcp-proxy-up", () -> pump(client, upstream, pair));
                daemon("tcp-proxy-down", () -> pump(upstream, client, pair));
            }
        });
    }

    /** Copies {@code from} to {@code to} while forwarding; drops the bytes otherwise. */
    private void pump(Socket from, Socket to, List<Socket> pair) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to == null ? null : to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (out != null && mode == Mode.FORWARD) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        }
        catch (IOException ended) {
            // one side went away: so does the other
        }
        finally {
            pair.forEach(TcpProxy::closeQuietly);
            sockets.removeAll(pair);
        }
    }

    private void dropAll(boolean reset) {
        for (Socket socket : List.copyOf(sockets)) {
            if (reset) {
                try {
                    socket.setSoLinger(true, 0);
                }
                catch (IOException ignored) {
                    // closing it anyway
                }
            }
            closeQuietly(socket);
            sockets.remove(socket);
        }
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception ignored) {
            // already closed
        }
    }
}
