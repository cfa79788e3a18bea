package io.github.zmqboot.internal.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until the tcp ports a proxy's sockets had bound can be bound again. Closing an engine socket only asks the
 * engine to close its listeners, which its I/O thread does a moment later (JeroMQ 0.6.0 reports that only through
 * the socket's single event hook, which the starter's socket monitor holds). A proxy waits for this before it
 * reports itself terminated, so that its ports are free when {@code terminate()} returns and a following
 * {@code start()} binds them again.
 * <p>
 * A port counts as free when a server socket with {@code SO_REUSEADDR} (as the engine binds) can bind its address;
 * that probe is closed at once.
 */
final class PortRelease {

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final List<InetSocketAddress> addresses = new ArrayList<>();

    /** Remembers a resolved endpoint the proxy bound ({@code tcp://host:port}; other transports need no wait). */
    void bound(String endpoint) {
        if (!endpoint.startsWith("tcp://")) {
            return;
        }
        String address = endpoint.substring("tcp://".length());
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        try {
            this.addresses.add(new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(address.substring(colon + 1))));
        }
        catch (IOException | NumberFormatException ex) {
            // not an address this machine can probe: nothing to wait for
        }
    }

    /**
     * Waits at most {@code timeout} until every remembered address can be bound again.
     *
     * @return whether all of them could be bound in time
     */
    boolean await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        for (InetSocketAddress address : this.addresses) {
            while (!canBind(address)) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
            }
        }
        return true;
    }

    private static boolean canBind(InetSocketAddress address) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address, 1);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }
}
