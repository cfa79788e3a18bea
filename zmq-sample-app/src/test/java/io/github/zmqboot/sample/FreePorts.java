package io.github.zmqboot.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tcp ports on 127.0.0.1 for the HTTP server and every {@code sample.ports.*} entry, each bound to port 0, read back
 * and held until {@link #close()} by a socket bound with {@code SO_REUSEADDR} that never listens: meanwhile no other
 * process can take them (the kernel hands them to no ephemeral bind or outgoing connection, and a listener without
 * {@code SO_REUSEADDR} cannot bind them), while the app's own listeners, which set it (the JDK's server sockets do by
 * default on Linux), can. Where the platform does not allow that (checked for each port), the port is released at once
 * and was only free when found.
 */
final class FreePorts implements AutoCloseable {

    /** The keys of {@code sample.ports} in {@code application.yml}. */
    static final List<String> SAMPLE_PORTS = List.of("alice", "broker-frontend", "broker-backend", "broker-control",
            "broker-capture", "prices-frontend", "prices-backend", "prices-ws");

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final int http;

    /** {@code sample.ports} key to port. */
    final Map<String, Integer> zmq;

    private final List<Socket> holders;

    private FreePorts(int http, Map<String, Integer> zmq, List<Socket> holders) {
        this.http = http;
        this.zmq = zmq;
        this.holders = holders;
    }

    static FreePorts find() {
        List<Socket> holders = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            for (int i = 0; i <= SAMPLE_PORTS.size(); i++) {
                Socket holder = new Socket();
                holder.setReuseAddress(true);
                holder.bind(new InetSocketAddress(LOOPBACK, 0));
                ports.add(holder.getLocalPort());
                if (listenerCanBind(holder.getLocalPort())) {
                    holders.add(holder);
                }
                else {
                    holder.close();
                }
            }
        }
        catch (IOException ex) {
            close(holders);
            throw new UncheckedIOException(ex);
        }
        Map<String, Integer> zmq = new LinkedHashMap<>();
        for (int i = 0; i < SAMPLE_PORTS.size(); i++) {
            zmq.put(SAMPLE_PORTS.get(i), ports.get(i + 1));
        }
        return new FreePorts(ports.get(0), zmq, holders);
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

    int port(String name) {
        return this.zmq.get(name);
    }

    /** {@code sample.ports.<name>=<port>} for each ZeroMQ port. */
    List<String> properties() {
        List<String> properties = new ArrayList<>();
        this.zmq.forEach((name, port) -> properties.add("sample.ports." + name + "=" + port));
        return properties;
    }

    /** Lets go of the ports. */
    @Override
    public void close() {
        close(this.holders);
    }

    private static void close(List<Socket> holders) {
        for (Socket holder : holders) {
            try {
                holder.close();
            }
            catch (IOException ex) {
                // nothing left to release
            }
        }
    }
}
