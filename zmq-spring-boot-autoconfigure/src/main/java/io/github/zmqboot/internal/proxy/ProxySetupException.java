package io.github.zmqboot.internal.proxy;

import io.github.zmqboot.core.ZmqError;

/**
 * A proxy's configuration or one of its sockets could not be set up. Names the side ({@link #role()}, null for the
 * proxy as a whole) and the setting within it ({@link #setting()}, e.g. {@code bind[0]}, {@code send-hwm},
 * {@code type}) so the auto-configuration can report the full property path.
 */
public class ProxySetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ProxyRole role;

    private final String setting;

    private final transient Object value;

    private final String reason;

    private final ZmqError error;

    public ProxySetupException(ProxyRole role, String setting, Object value, String reason, ZmqError error,
            Throwable cause) {
        super((role != null ? role.propertyName() + (setting != null ? "." : "") : "")
                + (setting != null ? setting : "") + " (value '" + value + "'): " + reason, cause);
        this.role = role;
        this.setting = setting;
        this.value = value;
        this.reason = reason;
        this.error = error;
    }

    /** The side at fault, or null when the proxy as a whole is. */
    public ProxyRole role() {
        return this.role;
    }

    /** The setting at fault within the side (e.g. {@code bind[0]}, {@code send-hwm}, {@code type}), or null. */
    public String setting() {
        return this.setting;
    }

    /** The value at fault. */
    public Object value() {
        return this.value;
    }

    /** Why it failed. */
    public String reason() {
        return this.reason;
    }

    /** libzmq's error for a failed bind or connect, else null. */
    public ZmqError error() {
        return this.error;
    }
}
