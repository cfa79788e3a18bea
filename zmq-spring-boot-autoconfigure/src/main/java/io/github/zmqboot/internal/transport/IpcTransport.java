package io.github.zmqboot.internal.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import zmq.io.net.Address;
import zmq.io.net.NetProtocol;

/**
 * {@code ipc://path} as libzmq's {@code zmq_ipc(7)}: a Unix domain socket file, ZMTP on top. No TCP port is opened
 * (JeroMQ's own ipc is TCP loopback and does not reach libzmq's). Differences from libzmq, on purpose: a bind over a
 * path where another process listens fails with {@code EADDRINUSE} instead of taking the path over; a file that is
 * not a socket is never removed. The Linux abstract namespace ({@code ipc://@name}) is refused: the JDK lacks it.
 */
final class IpcTransport {

    /** {@code sun_path} holds 108 bytes on Linux, the terminating NUL included. */
    static final int MAX_PATH_BYTES = 107;

    /**
     * A Unix domain socket's kernel buffers, each way: the default (about 208 KiB) is far below what TCP loopback
     * grows to (up to 4 MiB), which made ipc slower than tcp under load. {@code ZMQ_SNDBUF}/{@code ZMQ_RCVBUF}, when
     * set, win.
     */
    private static final int DEFAULT_BUFFER_BYTES = 1 << 20;

    private static final Address NO_ADDRESS = new Address(NetProtocol.ipc, "");

    static final EngineFactory ENGINES = (channel, options, endpoint, connection) -> {
        try {
            int send = (options.sndbuf > 0) ? options.sndbuf : DEFAULT_BUFFER_BYTES;
            int receive = (options.rcvbuf > 0) ? options.rcvbuf : DEFAULT_BUFFER_BYTES;
            channel.setOption(StandardSocketOptions.SO_SNDBUF, send);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receive);
        }
        catch (IOException ex) {
            // the connection is gone already: the engine's first read or write reports it
        }
        // libzmq's ZAP "Address" of an ipc connection is empty
        return new ZmtpEngine(channel, options, endpoint, connection, NO_ADDRESS, NO_ADDRESS);
    };

    private IpcTransport() {
    }

    /** Where a connect to {@code endpoint} goes (the file need not exist yet: the connecter retries). */
    static StreamConnecter.Target target(String endpoint) {
        return StreamConnecter.Target.fixed(endpoint, UnixDomainSocketAddress.of(path(endpoint)), ENGINES);
    }

    /** The socket file's path of an {@code ipc://} endpoint (not {@code ipc://*}). */
    static Path path(String endpoint) {
        String path = endpoint.substring("ipc://".length());
        if (path.isEmpty()) {
            throw new ZmqException(ZmqError.EINVAL, "'" + endpoint + "': an ipc endpoint is 'ipc://path'");
        }
        if (path.startsWith("@")) {
            throw new ZmqException(ZmqError.ENOTSUP, "'" + endpoint + "': the Linux abstract namespace (ipc://@name)"
                    + " is not available in Java; use a file path, e.g. ipc:///run/myapp/socket, or ipc://*");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new ZmqException(ZmqError.ENAMETOOLONG, "'" + endpoint + "': an ipc path may have at most "
                    + MAX_PATH_BYTES + " bytes (the operating system's limit for a socket file)");
        }
        return Path.of(path);
    }

    /** Binds {@code ipc://path} or, for {@code ipc://*}, a fresh path in a new private directory. */
    static BoundServer bind(String endpoint) {
        if ("ipc://*".equals(endpoint)) {
            return bindFresh();
        }
        Path path = path(endpoint);
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new ZmqException(ZmqError.ENOENT, "'" + endpoint + "': directory " + parent + " does not exist");
        }
        replaceStaleSocketFile(endpoint, path);
        ServerSocketChannel server = openServer(endpoint, path);
        Object fileKey = fileKey(path);
        return new BoundServer(endpoint, server, ENGINES, () -> deleteIfSame(path, fileKey));
    }

    private static BoundServer bindFresh() {
        Path directory;
        try {
            directory = Files.createTempDirectory("zmq-ipc-");
        }
        catch (IOException ex) {
            throw new ZmqException(ZmqError.EUNKNOWN, "ipc://*: cannot create a directory for the socket file: "
                    + ex.getMessage(), ex);
        }
        Path path = directory.resolve("socket");
        String endpoint = "ipc://" + path;
        ServerSocketChannel server = openServer(endpoint, path);
        Object fileKey = fileKey(path);
        return new BoundServer(endpoint, server, ENGINES, () -> {
            deleteIfSame(path, fileKey);
            try {
                Files.deleteIfExists(directory);
            }
            catch (IOException ex) {
                // another file appeared there: leave the directory
            }
        });
    }

    private static ServerSocketChannel openServer(String endpoint, Path path) {
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
            return server;
        }
        catch (IOException ex) {
            closeQuietly(server);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new ZmqException(ZmqError.EADDRINUSE, "'" + endpoint + "': " + path + " exists", ex);
            }
            throw new ZmqException(ZmqError.EUNKNOWN, "'" + endpoint + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * A socket file nobody listens on is left by a process that died: replace it, as libzmq does. A socket file with
     * a live listener, or a file of another kind, stays and the bind fails.
     */
    private static void replaceStaleSocketFile(String endpoint, Path path) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (IOException ex) {
            return; // no file
        }
        if (!attributes.isOther()) {
            throw new ZmqException(ZmqError.EADDRINUSE, "'" + endpoint + "': " + path + " exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new ZmqException(ZmqError.EADDRINUSE, "'" + endpoint + "': another socket listens on " + path);
        }
        catch (ConnectException ex) {
            try {
                Files.deleteIfExists(path);
            }
            catch (IOException notDeleted) {
                throw new ZmqException(ZmqError.EADDRINUSE, "'" + endpoint + "': stale socket file " + path
                        + " cannot be removed: " + notDeleted.getMessage(), notDeleted);
            }
        }
        catch (IOException ex) {
            throw new ZmqException(ZmqError.EADDRINUSE, "'" + endpoint + "': " + path + " exists: " + ex.getMessage(),
                    ex);
        }
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        }
        catch (IOException ex) {
            return null;
        }
    }

    /** Removes the socket file this socket created, unless another socket's file replaced it since. */
    private static void deleteIfSame(Path path, Object fileKey) {
        Object now = fileKey(path);
        if (now != null && now.equals(fileKey)) {
            try {
                Files.deleteIfExists(path);
            }
            catch (IOException ex) {
                // gone or not ours to remove
            }
        }
    }

    private static void closeQuietly(ServerSocketChannel server) {
        if (server != null) {
            try {
                server.close();
            }
            catch (IOException ignored) {
                // closing a channel that failed to bind
            }
        }
    }
}
