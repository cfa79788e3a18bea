package io.github.zmqboot.autoconfigure;

/**
 * A {@code zmq.*} property whose value cannot work: thrown at startup and reported by
 * {@link ZmqPropertyFailureAnalyzer} with the full property path (e.g. {@code zmq.peers.alice.bind[0]}), the
 * reason and what to do.
 */
public class InvalidZmqPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;

    private final transient Object value;

    private final String reason;

    private final String action;

    public InvalidZmqPropertyException(String property, Object value, String reason, String action, Throwable cause) {
        super("Invalid ZeroMQ property '" + property + "' (value '" + value + "'): " + reason, cause);
        this.property = property;
        this.value = value;
        this.reason = reason;
        this.action = action;
    }

    /** The full property path, e.g. {@code zmq.peers.alice.bind[0]}. */
    public String property() {
        return this.property;
    }

    /** The value that failed. */
    public Object value() {
        return this.value;
    }

    /** Why it failed. */
    public String reason() {
        return this.reason;
    }

    /** What the user should do. */
    public String action() {
        return this.action;
    }
}
