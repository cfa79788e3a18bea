package io.github.zmqboot.autoconfigure;

import java.util.List;
import java.util.function.Consumer;

import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import io.github.zmqboot.internal.engine.InvalidSocketOptionException;
import io.github.zmqboot.internal.socket.ZmqSockets;
import org.zeromq.SocketType;

/**
 * Builds one {@code zmq.sockets.<name>} bean: checks its type and the type-specific lists, creates it through the
 * {@link ZmqSockets}, then applies {@code subscribe} (SUB) or {@code join} (DISH), {@code bind} and
 * {@code connect}, in that order. Every failure becomes an {@link InvalidZmqPropertyException} naming the exact
 * property (e.g. {@code zmq.sockets.ticks.connect[0]}); a half-made socket is closed.
 */
final class ConfiguredZmqSockets {

    private ConfiguredZmqSockets() {
    }

    static ZmqSocket create(String name, SocketBeanProperties config, ZmqSockets sockets,
            ConfiguredBinds binds) {
        String path = ZmqProperties.PREFIX + ".sockets." + name;
        SocketType type = checkType(path, config.getType());
        requireOnly(path + ".subscribe", config.getSubscribe(), type, SocketType.SUB);
        requireOnly(path + ".join", config.getJoin(), type, SocketType.DISH);
        ZmqSocket socket;
        try {
            socket = sockets.createZmqSocket(name, type, config.toSocketOptions());
        }
        catch (InvalidSocketOptionException ex) {
            throw new InvalidZmqPropertyException(path + "." + ex.option(), ex.value(), ex.reason(),
                    "Correct " + path + "." + ex.option() + " (see the README's table of socket options).", ex);
        }
        try {
            apply(path + ".subscribe", config.getSubscribe(), socket::subscribe);
            apply(path + ".join", config.getJoin(), socket::join);
            ConfiguredBinds.bindAll(path + ".bind", config.getBind(), socket::bind, binds);
            apply(path + ".connect", config.getConnect(), socket::connect);
        }
        catch (RuntimeException ex) {
            socket.close();
            throw ex;
        }
        return socket;
    }

    private static SocketType checkType(String path, SocketType type) {
        if (type == null) {
            throw new InvalidZmqPropertyException(path + ".type", null, "every entry of zmq.sockets needs a type",
                    "Set " + path + ".type to a socket type: PUSH, PULL, PUB, SUB, XPUB, XSUB, REQ, REP, DEALER, "
                            + "ROUTER, PAIR, STREAM, SERVER, CLIENT, RADIO, DISH, SCATTER, GATHER or CHANNEL.", null);
        }
        if (type == SocketType.PEER) {
            throw new InvalidZmqPropertyException(path + ".type", type, "PEER sockets are ZmqPeer beans, configured "
                    + "under zmq.peers (they connect with zmq_connect_peer and address messages by routing id)",
                    "Move this entry to zmq.peers." + path.substring(path.lastIndexOf('.') + 1)
                            + " (without 'type'), or choose another type.", null);
        }
        return type;
    }

    private static void requireOnly(String path, List<String> values, SocketType type, SocketType allowed) {
        if (!values.isEmpty() && type != allowed) {
            throw new InvalidZmqPropertyException(path, values, "applies to " + allowed + " sockets only, not "
                    + type, "Remove " + path + " or set the type to " + allowed + ".", null);
        }
    }

    private static void apply(String path, List<String> values, Consumer<String> action) {
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            try {
                action.accept(value);
            }
            catch (ZmqException ex) {
                String fix = path.endsWith(".bind") || path.endsWith(".connect")
                        ? ConfiguredBinds.actionFor(ex.error()) : "Correct " + path + "[" + i + "].";
                throw new InvalidZmqPropertyException(path + "[" + i + "]", value, ex.getMessage(), fix, ex);
            }
        }
    }
}
