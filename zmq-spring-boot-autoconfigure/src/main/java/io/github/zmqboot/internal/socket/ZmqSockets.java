package io.github.zmqboot.internal.socket;

import java.time.Duration;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.internal.engine.CurveOptions;
import io.github.zmqboot.internal.engine.InboundSource;
import io.github.zmqboot.internal.engine.InvalidSocketOptionException;
import io.github.zmqboot.internal.engine.SocketOptions;
import io.github.zmqboot.internal.engine.SocketTraffic;
import io.github.zmqboot.internal.engine.ZmqSocketFactory;
import io.github.zmqboot.internal.peer.DefaultZmqPeer;
import io.github.zmqboot.internal.security.ZapHandler;
import org.zeromq.SocketType;

/**
 * Creates the socket beans ({@link ZmqPeer}, {@link ZmqSocket}) over the engine sockets of a
 * {@link ZmqSocketFactory}, and gives that factory the context's {@link ZapHandler} (started on a REP socket of its
 * own when the first CURVE server that lists its clients is created).
 */
public final class ZmqSockets {

    private final ZmqSocketFactory socketFactory;

    private final ZmqPayloadConverter payloadConverter;

    /**
     * @param socketFactory where the engine sockets come from; from now on it starts its ZAP handler here
     * @param payloadConverter converts objects to payloads for {@code convertAndSend}
     */
    public ZmqSockets(ZmqSocketFactory socketFactory, ZmqPayloadConverter payloadConverter) {
        this.socketFactory = socketFactory;
        this.payloadConverter = payloadConverter;
        socketFactory.useZapDomains(this::startZapHandler);
    }

    /** The factory the engine sockets come from. */
    public ZmqSocketFactory socketFactory() {
        return this.socketFactory;
    }

    /**
     * Creates a PEER socket (not yet bound or connected).
     *
     * @throws InvalidSocketOptionException when an option is invalid
     * @throws ZmqException when the engine refuses the socket (e.g. {@code ETERM}, too many sockets)
     */
    public ZmqPeer createPeer(String name, SocketOptions options) {
        return new DefaultZmqPeer(
                this.socketFactory.createSharedSocket(name, SocketType.PEER, options, new SocketTraffic()),
                this.payloadConverter);
    }

    /**
     * Creates a {@link ZmqSocket} of any type but PEER (not yet bound or connected): a type the engine makes
     * thread-safe is used directly; any other type takes a lock of its own around each engine call.
     *
     * @throws IllegalArgumentException for PEER (use {@link #createPeer(String, SocketOptions)})
     * @throws InvalidSocketOptionException when an option is invalid
     * @throws ZmqException when the engine refuses the socket
     */
    public ZmqSocket createZmqSocket(String name, SocketType type, SocketOptions options) {
        if (type == SocketType.PEER) {
            throw new IllegalArgumentException("PEER sockets are ZmqPeers: use createPeer");
        }
        if (SocketKinds.isThreadSafe(type)) {
            return new ThreadSafeZmqSocket(
                    this.socketFactory.createSharedSocket(name, type, options, new SocketTraffic()),
                    this.payloadConverter);
        }
        return LockingZmqSocket.create(this.socketFactory, name, type, options, this.payloadConverter);
    }

    /**
     * The context's ZAP handler: a REP socket on {@value ZapHandler#ENDPOINT}, closed with the context like every
     * other socket (called by the factory, once, under its lock).
     */
    private ZapHandler startZapHandler() {
        ZmqSocket socket = createZmqSocket(ZapHandler.SOCKET_NAME, SocketType.REP,
                SocketOptions.lingerOnly(Duration.ZERO).withCurve(CurveOptions.NONE));
        ZapHandler handler = new ZapHandler(this.socketFactory.contextManager().threads());
        try {
            socket.bind(ZapHandler.ENDPOINT);
            handler.start((InboundSource) socket);
        }
        catch (RuntimeException ex) {
            socket.close();
            throw ex;
        }
        return handler;
    }
}
