package io.github.zmqboot.observation;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.zmqboot.observation.ZmqObservationContext.KeyValueSets;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * {@link ZmqObserver} as Micrometer observations: {@value #LISTENER} around each listener call (in scope while the
 * method runs, so what it does is traced under it) and {@value #SEND} around each send, with the low-cardinality
 * keys {@code socket}, {@code id} (listener id; listener calls only) and {@code outcome} ({@code success} or
 * {@code failure}); a failure is also the observation's error. Names and key values come from the conventions
 * ({@link ZmqListenerObservationConvention}, {@link ZmqSendObservationConvention}; a global convention of the
 * registry applies when none is given). The default conventions' key values are built once per listener and socket,
 * so a call allocates no key value of its own; with a registry that has no handler a call does nothing.
 */
public class MicrometerZmqObserver implements ZmqObserver {

    /** The name of the listener-call observation. */
    public static final String LISTENER = "zmq.listener";

    /** The name of the send observation. */
    public static final String SEND = "zmq.send";

    private static final Call UNOBSERVED = new Call() {

        @Override
        public void succeeded() {
        }

        @Override
        public void failed(Throwable failure) {
        }
    };

    private final ObservationRegistry registry;

    private final @Nullable ZmqListenerObservationConvention listenerConvention;

    private final @Nullable ZmqSendObservationConvention sendConvention;

    /** By listener id. */
    private final ConcurrentMap<String, KeyValueSets> listeners = new ConcurrentHashMap<>();

    /** By socket name. */
    private final ConcurrentMap<String, KeyValueSets> sockets = new ConcurrentHashMap<>();

    public MicrometerZmqObserver(ObservationRegistry registry) {
        this(registry, null, null);
    }

    /**
     * @param listenerConvention names listener observations, or {@code null} for the registry's global convention
     * or the default
     * @param sendConvention names send observations, or {@code null} likewise
     */
    public MicrometerZmqObserver(ObservationRegistry registry,
            @Nullable ZmqListenerObservationConvention listenerConvention,
            @Nullable ZmqSendObservationConvention sendConvention) {
        this.registry = registry;
        this.listenerConvention = listenerConvention;
        this.sendConvention = sendConvention;
    }

    @Override
    public Call listenerCall(String listenerId, String socket) {
        if (this.registry.isNoop()) {
            return UNOBSERVED;
        }
        KeyValueSets keyValues = this.listeners.get(listenerId);
        if (keyValues == null || !keyValues.socket().equals(socket)) {
            keyValues = ZmqListenerObservationContext.keyValueSets(listenerId, socket);
            this.listeners.put(listenerId, keyValues);
        }
        ZmqListenerObservationContext context = new ZmqListenerObservationContext(listenerId, socket, keyValues);
        // named before it starts: a tracer names its span when it starts
        context.setContextualName(keyValues.contextualName());
        Observation observation = Observation
            .createNotStarted(this.listenerConvention, DefaultZmqListenerObservationConvention.INSTANCE, () -> context,
                    this.registry)
            .start();
        return new ObservedCall(context, observation, observation.openScope());
    }

    @Override
    public Call send(String socket) {
        if (this.registry.isNoop()) {
            return UNOBSERVED;
        }
        KeyValueSets keyValues = this.sockets.get(socket);
        if (keyValues == null) {
            keyValues = this.sockets.computeIfAbsent(socket, ZmqSendObservationContext::keyValueSets);
        }
        ZmqSendObservationContext context = new ZmqSendObservationContext(socket, keyValues);
        context.setContextualName(keyValues.contextualName());
        Observation observation = Observation
            .createNotStarted(this.sendConvention, DefaultZmqSendObservationConvention.INSTANCE, () -> context,
                    this.registry)
            .start();
        return new ObservedCall(context, observation, null);
    }

    private record ObservedCall(ZmqObservationContext context, Observation observation,
            Observation.Scope scope) implements Call {

        @Override
        public void succeeded() {
            end(ZmqObservationContext.SUCCESS);
        }

        @Override
        public void failed(Throwable failure) {
            this.observation.error(failure);
            end(ZmqObservationContext.FAILURE);
        }

        private void end(String outcome) {
            this.context.setOutcome(outcome);
            if (this.scope != null) {
                this.scope.close();
            }
            this.observation.stop();
        }
    }
}
