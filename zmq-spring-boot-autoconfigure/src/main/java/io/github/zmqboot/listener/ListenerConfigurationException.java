package io.github.zmqboot.listener;

import java.lang.reflect.Method;

/**
 * A {@code @ZmqListener} method that cannot work as declared (no socket, both {@code peer} and {@code socket}, an
 * unknown socket name, an unsupported parameter, ...): fails startup with a report naming the method.
 */
public class ListenerConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String method;

    private final String action;

    public ListenerConfigurationException(Method method, String reason, String action) {
        super("Invalid @ZmqListener method " + describe(method) + ": " + reason);
        this.method = describe(method);
        this.action = action;
    }

    /** The method, as {@code com.example.Handler.onMessage(byte[])}. */
    public String method() {
        return this.method;
    }

    /** What the user should do. */
    public String action() {
        return this.action;
    }

    private static String describe(Method method) {
        StringBuilder text = new StringBuilder(method.getDeclaringClass().getName()).append('.')
            .append(method.getName()).append('(');
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            text.append(i > 0 ? ", " : "").append(types[i].getSimpleName());
        }
        return text.append(')').toString();
    }
}
