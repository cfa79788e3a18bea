package io.github.zmqboot.test;

import java.util.List;

/**
 * One call of a {@code @ZmqListener} method, as the {@link ZmqListenerHarness} saw it.
 *
 * @param listenerId the listener's id
 * @param arguments the arguments the container resolved (payload converted, headers, routing id …)
 * @param result what the method returned ({@code null} for {@code void} or a failure)
 * @param failure what the method threw, or {@code null}
 */
public record ListenerInvocation(String listenerId, List<Object> arguments, Object result, Throwable failure) {

    /** Whether the method returned normally. */
    public boolean succeeded() {
        return this.failure == null;
    }

    /** The argument at {@code index}, cast to the type the test expects. */
    @SuppressWarnings("unchecked")
    public <T> T argument(int index) {
        return (T) this.arguments.get(index);
    }
}
