package io.github.zmqboot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A tcp port on 127.0.0.1 for a test that must name a port before the application binds it (a configured endpoint,
 * two binds that clash, a rebind after a proxy's terminate): bound to port 0 and read back, then <em>held</em> until
 * {@link #close()} by a socket that is bound with {@code SO_REUSEADDR} but never listens. While it is held, nothing
 * listens there (a connect is refused), the kernel hands the port to no ephemeral bind or outgoing connection, and
 * only a listener that also sets {@code SO_REUSEADDR} can bind it: the engine's, the project's transports' and the
 * JDK's server sockets do (Linux). Unlike a port found free and released, no other process can take it in between.
 * <p>
 * Where the platform does not let such a listener bind next to the held socket (checked once, on reserving), the
 * port is released at once, as a merely free port.
 */
public final class ReservedPort implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Socket holder;

    private final int port;

    private ReservedPort(Socket holder, int port) {
        this.holder = holder;
        this.port = port;
    }

    /** Reserves a fresh port. */
    public static ReservedPort reserve() {
        try {
            Socket holder = new Socket();
            holder.setReuseAddress(true);
            holder.bind(new InetSocketAddress(LOOPBACK, 0));
            int port = holder.getLocalPort();
            if (!listenerCanBind(port)) {
                holder.close();
                return new ReservedPort(null, port);
            }
            return new ReservedPort(holder, port);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static boolean listenerCanBind(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    public int port() {
        return this.port;
    }

    /** {@code tcp://127.0.0.1:<port>}. */
    public String endpoint() {
        return "tcp://127.0.0.1:" + this.port;
    }

    /** Whether the port is held (false: the platform did not allow it; the port was only free when reserved). */
    public boolean held() {
        return this.holder != null;
    }

    @Override
    public void close() {
        if (this.holder != null) {
            try {
                this.holder.close();
            }
            catch (IOException ex) {
                // nothing left to release
            }
        }
    }
}
