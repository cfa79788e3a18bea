package io.github.zmqboot.internal.socket;

import java.util.EnumSet;
import java.util.Set;

import org.zeromq.SocketType;

/**
 * What each socket type of the engine (JeroMQ 0.6.0) can do, checked before a call reaches the engine: some types
 * answer an unsupported call with an exception of their own instead of libzmq's {@code ENOTSUP}.
 */
final class SocketKinds {

    /** Types the engine makes thread-safe: no file descriptor, any thread may call them. */
    private static final Set<SocketType> THREAD_SAFE = EnumSet.of(SocketType.SERVER, SocketType.CLIENT,
            SocketType.RADIO, SocketType.DISH, SocketType.SCATTER, SocketType.GATHER, SocketType.CHANNEL,
            SocketType.PEER, SocketType.RAW);

    /** Types whose every message carries the routing id of its connection. */
    private static final Set<SocketType> ROUTING_ID = EnumSet.of(SocketType.SERVER, SocketType.PEER, SocketType.RAW);

    private static final Set<SocketType> SEND_ONLY = EnumSet.of(SocketType.PUSH, SocketType.PUB, SocketType.RADIO,
            SocketType.SCATTER);

    private static final Set<SocketType> RECEIVE_ONLY = EnumSet.of(SocketType.PULL, SocketType.SUB,
            SocketType.DISH, SocketType.GATHER);

    private static final Set<SocketType> REQUEST_REPLY = EnumSet.of(SocketType.REQ, SocketType.DEALER,
            SocketType.CLIENT);

    private SocketKinds() {
    }

    /** Whether the engine makes {@code type} thread-safe (else it must be confined to one thread). */
    public static boolean isThreadSafe(SocketType type) {
        return THREAD_SAFE.contains(type);
    }

    /** Whether messages of {@code type} are addressed by routing id (SERVER, PEER, RAW). */
    public static boolean usesRoutingId(SocketType type) {
        return ROUTING_ID.contains(type);
    }

    /** Whether {@code type} can send. */
    public static boolean canSend(SocketType type) {
        return !RECEIVE_ONLY.contains(type);
    }

    /** Whether {@code type} can receive. */
    public static boolean canReceive(SocketType type) {
        return !SEND_ONLY.contains(type);
    }

    /** Whether {@code convertSendAndReceive} works on {@code type} (REQ, DEALER, CLIENT). */
    public static boolean canRequest(SocketType type) {
        return REQUEST_REPLY.contains(type);
    }
}
