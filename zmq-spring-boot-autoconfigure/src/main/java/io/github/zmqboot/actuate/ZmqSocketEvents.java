package io.github.zmqboot.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.core.SocketEventListener;

/** Remembers the last socket event of every socket, for the health details and the {@code zmq} endpoint. */
public class ZmqSocketEvents implements SocketEventListener {

    private final Map<String, Recorded> last = new ConcurrentHashMap<>();

    @Override
    public void onEvent(SocketEvent event) {
        this.last.put(event.socket(), new Recorded(event, Instant.now()));
    }

    /** The last event of {@code socket} as details (kind, endpoint, peer, time), or {@code null} when none. */
    public Map<String, Object> lastEvent(String socket) {
        Recorded recorded = this.last.get(socket);
        if (recorded == null) {
            return null;
        }
        SocketEvent event = recorded.event();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("event", event.kind().name());
        if (event.endpoint() != null) {
            details.put("endpoint", event.endpoint());
        }
        if (event.peer() != null) {
            details.put("peer", event.peer().getHostString() + ":" + event.peer().getPort());
        }
        if (event.error() != null) {
            details.put("error", event.error().name());
        }
        details.put("time", recorded.time().toString());
        return details;
    }

    private record Recorded(SocketEvent event, Instant time) {
    }
}
