package io.github.zmqboot.observation;

/**
 * Observes each {@code @ZmqListener} call and each send through a socket bean. The auto-configuration provides one
 * backed by Micrometer's {@code ObservationRegistry} ({@link MicrometerZmqObserver}) when
 * {@code zmq.observation.enabled=true}; otherwise there is none, and the hot path only finds a field {@code null}.
 */
public interface ZmqObserver {

    /** Starts observing one call of a listener, on the thread that makes it (the call ends on the same thread). */
    Call listenerCall(String listenerId, String socket);

    /** Starts observing one send through the socket bean {@code socket}. */
    Call send(String socket);

    /** One observed call or send; ended exactly once. */
    interface Call {

        /** It returned normally. */
        void succeeded();

        /** It threw {@code failure}. */
        void failed(Throwable failure);
    }
}
