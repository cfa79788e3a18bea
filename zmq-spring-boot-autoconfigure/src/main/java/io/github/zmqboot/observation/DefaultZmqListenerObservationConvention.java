package io.github.zmqboot.observation;

import io.micrometer.common.KeyValues;

/**
 * {@code zmq.listener} with the keys {@code socket}, {@code id} and, once the call ended, {@code outcome}; contextual
 * name {@code "<socket> receive"}. The key values of a listener are built once and shared by its calls.
 */
public class DefaultZmqListenerObservationConvention implements ZmqListenerObservationConvention {

    /** The shared instance. */
    public static final DefaultZmqListenerObservationConvention INSTANCE = new DefaultZmqListenerObservationConvention();

    @Override
    public KeyValues getLowCardinalityKeyValues(ZmqListenerObservationContext context) {
        return context.keyValueSets().forOutcome(context.getOutcome());
    }

    @Override
    public String getContextualName(ZmqListenerObservationContext context) {
        return context.keyValueSets().contextualName();
    }
}
