package io.github.zmqboot.internal.transport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A socket's inbound connections and the connections its transports refused or dropped as hostile, since the socket
 * (of that name) was created.
 *
 * @param open inbound connections open now (over all bound endpoints)
 * @param maxConnections the socket's {@code max-connections}; -1 for no limit
 * @param overMaxConnections connections accepted and closed at once because {@code max-connections} were open
 * @param handshakeTimeouts connections closed because their handshake (greeting through the mechanism's last command)
 * did not complete within {@code handshake-interval}
 * @param oversizedHandshakeFrames connections closed because they announced a frame larger than a handshake needs
 * before their handshake completed
 * @param failedAccepts accepts that failed (e.g. no file descriptor left); the listener backs off and tries again
 */
public record ConnectionCounts(int open, int maxConnections, long overMaxConnections, long handshakeTimeouts,
        long oversizedHandshakeFrames, long failedAccepts) {

    /** No connection and nothing refused. */
    public static final ConnectionCounts NONE = new ConnectionCounts(0, -1, 0, 0, 0, 0);

    /** Whether any connection was refused or dropped, or an accept failed. */
    public boolean anyRefused() {
        return this.overMaxConnections + this.handshakeTimeouts + this.oversizedHandshakeFrames
                + this.failedAccepts > 0;
    }

    /** The non-zero refusal counts by name ({@code overMaxConnections}, {@code handshakeTimeouts}, …). */
    public Map<String, Long> refused() {
        Map<String, Long> refused = new LinkedHashMap<>();
        putIfNonZero(refused, "overMaxConnections", this.overMaxConnections);
        putIfNonZero(refused, "handshakeTimeouts", this.handshakeTimeouts);
        putIfNonZero(refused, "oversizedHandshakeFrames", this.oversizedHandshakeFrames);
        putIfNonZero(refused, "failedAccepts", this.failedAccepts);
        return refused;
    }

    private static void putIfNonZero(Map<String, Long> map, String name, long value) {
        if (value != 0) {
            map.put(name, value);
        }
    }
}
