package io.github.zmqboot.core;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * An application event for every steering command given to a proxy or a listener: over HTTP
 * ({@code POST /actuator/zmq/...}), through the Java API ({@link ZmqProxy}, the listener containers) or through a
 * proxy's control socket. Listen with {@code @EventListener ZmqSteeringEvent}. Each command is also logged once at
 * {@code INFO}. Queries ({@code STATISTICS}) and the application's own start and stop are not steering.
 * <p>
 * The event is published on the thread that applied the command: the caller's, or the proxy's own thread for a
 * control-socket command (a slow listener holds that proxy up).
 *
 * @param target whether a proxy or a listener was steered
 * @param name the proxy's bean name or the listener's id
 * @param command the command as given (upper case), e.g. {@code PAUSE}
 * @param outcome whether it was applied
 * @param origin where it came from: {@code http <remote address>} (or {@code http} where the web stack gives no
 *        address), {@code control-socket <peer address>} (or {@code control-socket} without one, e.g. inproc), or
 *        {@code api} for a Java call
 * @param principal the authenticated caller's name over HTTP, or {@code null}
 */
public record ZmqSteeringEvent(Target target, String name, String command, Outcome outcome, String origin,
        @Nullable String principal) {

    /** What was steered. */
    public enum Target {

        /** A {@link ZmqProxy}. */
        PROXY,

        /** A {@code @ZmqListener} container. */
        LISTENER;

        /** {@code proxy} or {@code listener}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What became of a command. */
    public enum Outcome {

        /** The command took effect (or there was nothing to change, e.g. RESUME while running). */
        APPLIED,

        /** The command was not carried out: unknown, not allowed, or impossible in the target's state. */
        REFUSED,

        /** Carrying the command out failed. */
        FAILED
    }
}
