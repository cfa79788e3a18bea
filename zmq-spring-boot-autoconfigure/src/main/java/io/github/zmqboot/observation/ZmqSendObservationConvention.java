package io.github.zmqboot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The names and key values of {@code zmq.send} observations; a bean of it replaces
 * {@link DefaultZmqSendObservationConvention}.
 */
public interface ZmqSendObservationConvention extends ObservationConvention<ZmqSendObservationContext> {

    /** The observation's name. */
    String NAME = "zmq.send";

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ZmqSendObservationContext;
    }

    @Override
    default String getName() {
        return NAME;
    }
}
