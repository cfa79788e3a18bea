package io.github.zmqboot.socket;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.io.net.Address;
import zmq.io.net.NetProtocol;

/**
 * A tcp address whose host name is looked up when the engine opens a connection, not when the application connects:
 * libzmq's rule ("defer resolution until a socket is opened"). The engine's connecter resolves its address before
 * every attempt and retries after {@code reconnect-interval} when that fails; this address only makes a failed
 * look-up a failed attempt instead of an exception. It keeps the last address that resolved.
 */
final class LateResolvingAddress extends Address {

    private static final Log logger = LogFactory.getLog(LateResolvingAddress.class);

    private final String socketName;

    private final String endpoint;

    private final AtomicBoolean announced = new AtomicBoolean();

    LateResolvingAddress(String socketName, String endpoint, String hostAndPort) {
        super(NetProtocol.tcp, hostAndPort);
        this.socketName = socketName;
        this.endpoint = endpoint;
    }

    /** The endpoint as the application wrote it. */
    String endpoint() {
        return this.endpoint;
    }

    @Override
    public IZAddress resolve(boolean ipv6) {
        try {
            IZAddress resolved = super.resolve(ipv6);
            if (this.announced.compareAndSet(false, true)) {
                logger.info("Socket '" + this.socketName + "': '" + this.endpoint + "' resolves now ("
                        + resolved.address() + "); connecting");
            }
            return resolved;
        }
        catch (RuntimeException ex) {
            // the engine's connecter counts this as a failed attempt and retries after reconnect-interval
            return resolved();
        }
    }
}
