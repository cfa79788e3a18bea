package io.github.zmqboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and key values of {@code zmq.listener} observations; a bean of it replaces
 * {@link DefaultZmqListenerObservationConvention} (for example to add key values).
 */
public interface ZmqListenerObservationConvention extends ObservationConvention<ZmqListenerObservationContext> {

    /** The observation's name. */
    String NAME = "zmq.listener";

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ZmqListenerObservationContext;
    }

    @Override
    default String getName() {
        return NAME;
    }
}
