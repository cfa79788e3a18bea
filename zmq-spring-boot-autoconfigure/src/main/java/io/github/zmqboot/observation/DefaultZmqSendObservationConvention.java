package io.github.zmqboot.observation;

import io.micrometer.common.KeyValues;

/**
 * {@code zmq.send} with the keys {@code socket} and, once the send ended, {@code outcome}; contextual name
 * {@code "<socket> send"}. The key values of a socket are built once and shared by its sends.
 */
public class DefaultZmqSendObservationConvention implements ZmqSendObservationConvention {

    /** The shared instance. */
    public static final DefaultZmqSendObservationConvention INSTANCE = new DefaultZmqSendObservationConvention();

    @Override
    public KeyValues getLowCardinalityKeyValues(ZmqSendObservationContext context) {
        return context.keyValueSets().forOutcome(context.getOutcome());
    }

    @Override
    public String getContextualName(ZmqSendObservationContext context) {
        return context.keyValueSets().contextualName();
    }
}
