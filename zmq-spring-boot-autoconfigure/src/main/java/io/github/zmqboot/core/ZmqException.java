package io.github.zmqboot.core;

/**
 * An unchecked ZeroMQ failure that carries libzmq's error name ({@link #error()}), so callers can react to
 * {@code EAGAIN}, {@code EHOSTUNREACH}, {@code ETERM} and the rest the way a C program checks {@code errno}.
 */
public class ZmqException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ZmqError error;

    public ZmqException(ZmqError error, String message) {
        super(error.name() + ": " + message);
        this.error = error;
    }

    public ZmqException(ZmqError error, String message, Throwable cause) {
        super(error.name() + ": " + message, cause);
        this.error = error;
    }

    /** The libzmq error name of this failure. */
    public ZmqError error() {
        return error;
    }
}
