package io.github.zmqboot.internal.engine;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the engine is read with by reflection, for a native image: the two {@code SocketBase} fields of
 * {@link EngineInternals} (the mailbox is also replaced once per socket, with the context's {@code slots}, by the
 * context's {@code GuardedMailbox}), and the JDK's TCP keep-alive options JeroMQ looks up by name. Registered through
 * {@code META-INF/spring/aot.factories}.
 */
class EngineRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.reflection().registerTypeIfPresent(classLoader, "zmq.SocketBase",
                type -> type.withField(EngineInternals.LOCK_FIELD)
                    .withField(EngineInternals.MAILBOX_FIELD)
                    .withField(EngineInternals.THREAD_SAFE_FIELD));
        // the context's mailbox slots, written once per socket (io.github.zmqboot.internal.context.GuardedMailbox)
        hints.reflection().registerTypeIfPresent(classLoader, "zmq.Ctx", type -> type.withField("slots"));
        hints.reflection().registerTypeIfPresent(classLoader, "jdk.net.ExtendedSocketOptions",
                type -> type.withField("TCP_KEEPIDLE").withField("TCP_KEEPINTERVAL").withField("TCP_KEEPCOUNT"));
    }
}
