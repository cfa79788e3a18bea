package io.github.zmqboot.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.zeromq.SocketType;

/**
 * Everything a proxy is made of, checked against the rules of {@code zmq_proxy(3)} and {@code zmq_proxy_steerable(3)}
 * and of this engine.
 *
 * @param name the proxy's (bean) name
 * @param preset the conventional proxy the side types default to, or null when both sides name their type
 * @param frontend the frontend socket
 * @param backend the backend socket
 * @param capture the capture socket (PUB, DEALER, PUSH or PAIR), or null
 * @param control the control socket (REP or PAIR), or null
 * @param autoStartup whether the proxy starts with the application context
 * @param allowedControlCommands the commands the control socket obeys ({@code PAUSE}, {@code RESUME},
 *        {@code TERMINATE}, {@code STATISTICS}); null for all of them, as libzmq
 * @param drainTimeout how long a router-dealer proxy drains when the application stops (null: 10 s)
 * @throws ProxySetupException naming the side and {@code type} when a socket type cannot serve its role, or
 *         {@code allowed-commands} when it names no command
 */
public record ProxyDefinition(String name, ProxyPreset preset, ProxySide frontend, ProxySide backend,
        ProxySide capture, ProxySide control, boolean autoStartup, Set<String> allowedControlCommands,
        Duration drainTimeout) {

    /** How long a router-dealer proxy drains by default when the application stops. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

    /** Capture types {@code zmq_proxy(3)} names. */
    static final Set<SocketType> CAPTURE_TYPES = Collections.unmodifiableSet(
            EnumSet.of(SocketType.PUB, SocketType.DEALER, SocketType.PUSH, SocketType.PAIR));

    /** Control types {@code zmq_proxy_steerable(3)} names. */
    static final Set<SocketType> CONTROL_TYPES = Collections.unmodifiableSet(EnumSet.of(SocketType.REP, SocketType.PAIR));

    /** Types the engine makes thread-safe: they have no file descriptor, so no poller can watch them. */
    private static final Set<SocketType> UNPOLLABLE_TYPES = Collections.unmodifiableSet(EnumSet.of(SocketType.PEER,
            SocketType.SERVER, SocketType.CLIENT, SocketType.RADIO, SocketType.DISH, SocketType.SCATTER,
            SocketType.GATHER, SocketType.CHANNEL));

    /** Types that enforce a strict send/receive alternation, which a proxy forwarding both ways cannot keep. */
    private static final Set<SocketType> LOCKSTEP_TYPES = Collections.unmodifiableSet(EnumSet.of(SocketType.REQ, SocketType.REP));

    /** A definition whose control socket obeys every command and whose drain takes the default time. */
    public ProxyDefinition(String name, ProxyPreset preset, ProxySide frontend, ProxySide backend, ProxySide capture,
            ProxySide control, boolean autoStartup) {
        this(name, preset, frontend, backend, capture, control, autoStartup, null, null);
    }

    public ProxyDefinition {
        Objects.requireNonNull(name, "name");
        drainTimeout = drainTimeout != null ? drainTimeout : DEFAULT_DRAIN_TIMEOUT;
        if (drainTimeout.isNegative()) {
            throw new ProxySetupException(null, "drain-timeout", drainTimeout, "must not be negative", null, null);
        }
        if (allowedControlCommands != null) {
            for (String command : allowedControlCommands) {
                if (command == null || ControlProtocol.parse(command.getBytes(StandardCharsets.US_ASCII)) == null) {
                    throw new ProxySetupException(ProxyRole.CONTROL, "allowed-commands", command,
                            "not a control command (PAUSE, RESUME, TERMINATE, STATISTICS)", null, null);
                }
            }
            allowedControlCommands = Set.copyOf(allowedControlCommands);
        }
        requireRole(frontend, ProxyRole.FRONTEND);
        requireRole(backend, ProxyRole.BACKEND);
        checkForwardingSide(frontend);
        checkForwardingSide(backend);
        if (!forwards(frontend.type(), backend.type()) && !forwards(backend.type(), frontend.type())) {
            throw new ProxySetupException(ProxyRole.FRONTEND, "type", frontend.type(), "a " + frontend.type()
                    + " frontend and a " + backend.type() + " backend forward nothing in either direction", null, null);
        }
        if (capture != null) {
            requireRole(capture, ProxyRole.CAPTURE);
            if (!CAPTURE_TYPES.contains(capture.type())) {
                throw new ProxySetupException(ProxyRole.CAPTURE, "type", capture.type(),
                        "a capture socket is PUB, DEALER, PUSH or PAIR (zmq_proxy)", null, null);
            }
        }
        if (control != null) {
            requireRole(control, ProxyRole.CONTROL);
            if (!CONTROL_TYPES.contains(control.type())) {
                throw new ProxySetupException(ProxyRole.CONTROL, "type", control.type(),
                        "a control socket is REP or PAIR (zmq_proxy_steerable)", null, null);
            }
        }
    }

    /** Every configured side: frontend, backend, then capture and control when present. */
    public List<ProxySide> sides() {
        List<ProxySide> sides = new ArrayList<>(List.of(this.frontend, this.backend));
        if (this.capture != null) {
            sides.add(this.capture);
        }
        if (this.control != null) {
            sides.add(this.control);
        }
        return sides;
    }

    /** The commands the control socket obeys. */
    EnumSet<ControlProtocol.Command> obeyedControlCommands() {
        EnumSet<ControlProtocol.Command> obeyed = EnumSet.allOf(ControlProtocol.Command.class);
        if (this.allowedControlCommands != null) {
            obeyed.removeIf(command -> !this.allowedControlCommands.contains(command.name()));
        }
        return obeyed;
    }

    /** Whether the application's stop drains this proxy: a router-dealer one (replies owed to its clients). */
    boolean drains() {
        return this.frontend.type() == SocketType.ROUTER && this.backend.type() == SocketType.DEALER;
    }

    /** The preset's property value, or {@code custom} when the sides name their own types. */
    public String typeName() {
        return this.preset != null ? this.preset.propertyValue() : "custom";
    }

    /** Whether messages can flow from a socket of type {@code from} to one of type {@code to}. */
    static boolean forwards(SocketType from, SocketType to) {
        return canReceive(from) && canSend(to);
    }

    private static boolean canReceive(SocketType type) {
        return type != SocketType.PUB && type != SocketType.PUSH;
    }

    private static boolean canSend(SocketType type) {
        return type != SocketType.SUB && type != SocketType.PULL;
    }

    private static void checkForwardingSide(ProxySide side) {
        if (UNPOLLABLE_TYPES.contains(side.type())) {
            throw new ProxySetupException(side.role(), "type", side.type(), side.type()
                    + " sockets are thread-safe in the engine and have no file descriptor to poll, so no proxy can "
                    + "watch them", null, null);
        }
        if (LOCKSTEP_TYPES.contains(side.type())) {
            throw new ProxySetupException(side.role(), "type", side.type(), side.type()
                    + " sockets enforce a strict send/receive alternation that a proxy cannot keep; use "
                    + (side.type() == SocketType.REQ ? "DEALER" : "ROUTER") + " instead", null, null);
        }
    }

    private static void requireRole(ProxySide side, ProxyRole role) {
        Objects.requireNonNull(side, role.propertyName());
        if (side.role() != role) {
            throw new IllegalArgumentException("the " + role.propertyName() + " side has role " + side.role());
        }
    }
}
