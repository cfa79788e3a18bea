package io.github.zmqboot.core;

import org.zeromq.ZMQ;

/**
 * Callback to customise the application's ZeroMQ context after the starter configured it and before any
 * socket is created (e.g. to set engine options the properties do not cover).
 */
@FunctionalInterface
public interface ZmqContextCustomizer {

    /** Customises the context. */
    void customize(ZMQ.Context context);
}
