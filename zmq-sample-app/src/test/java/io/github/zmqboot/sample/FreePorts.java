package io.github.zmqboot.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Free tcp ports for the HTTP server and every {@code sample.ports.*} entry, found by binding ephemeral server
 * sockets on 127.0.0.1 (all open at once, so no two are the same) and closing them again.
 */
final class FreePorts {

    /** The keys of {@code sample.ports} in {@code application.yml}. */
    static final List<String> SAMPLE_PORTS = List.of("alice", "broker-frontend", "broker-backend", "broker-control",
            "broker-capture", "prices-frontend", "prices-backend", "prices-ws");

    final int http;

    /** {@code sample.ports} key to port. */
    final Map<String, Integer> zmq;

    private FreePorts(int http, Map<String, Integer> zmq) {
        this.http = http;
        this.zmq = zmq;
    }

    static FreePorts find() {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i <= SAMPLE_PORTS.size(); i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            Map<String, Integer> zmq = new LinkedHashMap<>();
            for (int i = 0; i < SAMPLE_PORTS.size(); i++) {
                zmq.put(SAMPLE_PORTS.get(i), sockets.get(i + 1).getLocalPort());
            }
            return new FreePorts(sockets.get(0).getLocalPort(), zmq);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                }
                catch (IOException ex) {
                    // nothing to do
                }
            }
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
}
