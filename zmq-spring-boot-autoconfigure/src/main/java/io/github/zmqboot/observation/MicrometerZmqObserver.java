package io.github.zmqboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * {@link ZmqObserver} as Micrometer observations: {@value #LISTENER} around each listener call (in scope while the
 * method runs, so what it does is traced under it) and {@value #SEND} around each send, with the low-cardinality
 * keys {@code socket}, {@code id} (listener id; listener calls only) and {@code outcome} ({@code success} or
 * {@code failure}); a failure is also the observation's error.
 */
public class MicrometerZmqObserver implements ZmqObserver {

    /** The name of the listener-call observation. */
    public static final String LISTENER = "zmq.listener";

    /** The name of the send observation. */
    public static final String SEND = "zmq.send";

    private final ObservationRegistry registry;

    public MicrometerZmqObserver(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Call listenerCall(String listenerId, String socket) {
        Observation observation = Observation.createNotStarted(LISTENER, this.registry)
            .contextualName(socket + " receive")
            .lowCardinalityKeyValue("socket", socket)
            .lowCardinalityKeyValue("id", listenerId)
            .start();
        return new ObservedCall(observation, observation.openScope());
    }

    @Override
    public Call send(String socket) {
        Observation observation = Observation.createNotStarted(SEND, this.registry)
            .contextualName(socket + " send")
            .lowCardinalityKeyValue("socket", socket)
            .start();
        return new ObservedCall(observation, null);
    }

    private record ObservedCall(Observation observation, Observation.Scope scope) implements Call {

        @Override
        public void succeeded() {
            end("success");
        }

        @Override
        public void failed(Throwable failure) {
            this.observation.error(failure);
            end("failure");
        }

        private void end(String outcome) {
            if (this.scope != null) {
                this.scope.close();
            }
            this.observation.lowCardinalityKeyValue("outcome", outcome).stop();
        }
    }
}
