package io.github.zmqboot.internal.engine;

/**
 * A socket option whose value libzmq would refuse. {@link #option()} is the option's property name
 * (kebab-case, e.g. {@code send-hwm}) so configuration errors can name the full property path.
 */
public class InvalidSocketOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;

    private final transient Object value;

    private final String reason;

    public InvalidSocketOptionException(String option, Object value, String reason) {
        super("Invalid value '" + value + "' for socket option '" + option + "': " + reason);
        this.option = option;
        this.value = value;
        this.reason = reason;
    }

    /** Why the value is refused, e.g. {@code must be at least 0}. */
    public String reason() {
        return reason;
    }

    /** The option's property name, e.g. {@code send-hwm}. */
    public String option() {
        return option;
    }

    /** The refused value. */
    public Object value() {
        return value;
    }
}
