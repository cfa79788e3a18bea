package io.github.zmqboot.actuate;

import java.util.Locale;
import java.util.Map;

import io.github.zmqboot.core.ZmqProxy;
import io.github.zmqboot.core.ZmqSteeringEvent.Outcome;
import io.github.zmqboot.core.ZmqSteeringEvent.Target;
import io.github.zmqboot.listener.ZmqListenerContainer;
import io.github.zmqboot.internal.monitor.SteeringAudit;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code zmq} actuator endpoint: {@code GET /actuator/zmq} shows peers, sockets, proxies and listeners; over the
 * web, {@code POST /actuator/zmq/proxies/{name}} ({@code PAUSE}, {@code RESUME}, {@code TERMINATE}, {@code START})
 * and {@code POST /actuator/zmq/listeners/{id}} ({@code START}, {@code STOP}) steer them (see
 * {@link ZmqEndpointWebExtension}).
 * <p>
 * Steering is off until the application grants it: the endpoint's default access is read-only, so a {@code POST}
 * answers 404 and changes nothing; {@code management.endpoint.zmq.access=unrestricted} enables it. Every command
 * is recorded by the {@link SteeringAudit} with its origin.
 */
@Endpoint(id = "zmq", defaultAccess = Access.READ_ONLY)
public class ZmqEndpoint {

    private final ZmqInventory inventory;

    private final SteeringAudit audit;

    public ZmqEndpoint(ZmqInventory inventory, SteeringAudit audit) {
        this.inventory = inventory;
        this.audit = audit;
    }

    @ReadOperation
    public Map<String, Object> zmq() {
        return this.inventory.describe();
    }

    /**
     * Runs an operator command and records it (see {@link SteeringAudit}) with its origin.
     *
     * @param kind {@code proxies} or {@code listeners}
     * @param name the proxy's bean name or the listener's id
     * @param command the command (case-insensitive)
     * @param origin where the command came from, e.g. {@code http 10.0.0.7}
     * @param principal the authenticated caller's name, or {@code null}
     * @return the outcome: what to answer and with which HTTP status
     */
    public CommandResult execute(String kind, String name, String command, String origin, String principal) {
        String verb = command == null ? "" : command.trim().toUpperCase(Locale.ROOT);
        return SteeringAudit.callingAs(origin, principal, () -> switch (kind) {
            case "proxies" -> steerProxy(name, verb);
            case "listeners" -> steerListener(name, verb);
            default -> CommandResult.notFound("No such kind '" + kind + "': use proxies or listeners");
        });
    }

    private CommandResult steerProxy(String name, String verb) {
        ZmqProxy proxy = this.inventory.proxies().get(name);
        if (proxy == null) {
            this.audit.record(Target.PROXY, name, verb, Outcome.REFUSED);
            return CommandResult.notFound("No proxy named '" + name + "'");
        }
        try {
            switch (verb) {
                case "PAUSE" -> proxy.pause();
                case "RESUME" -> proxy.resume();
                case "TERMINATE" -> proxy.terminate();
                case "START" -> proxy.start();
                default -> {
                    this.audit.record(Target.PROXY, name, verb, Outcome.REFUSED);
                    return CommandResult.badRequest("Unknown proxy command '" + verb
                            + "': use PAUSE, RESUME, TERMINATE or START");
                }
            }
        }
        catch (IllegalStateException ex) {
            return CommandResult.badRequest(ex.getMessage());
        }
        catch (RuntimeException ex) {
            return CommandResult.ok(ZmqInventory.describe(proxy));
        }
        return CommandResult.ok(ZmqInventory.describe(proxy));
    }

    private CommandResult steerListener(String id, String verb) {
        ZmqListenerContainer container = this.inventory.listeners().get(id);
        if (container == null) {
            this.audit.record(Target.LISTENER, id, verb, Outcome.REFUSED);
            return CommandResult.notFound("No listener with id '" + id + "'");
        }
        switch (verb) {
            case "START" -> container.start();
            case "STOP" -> container.stop();
            default -> {
                this.audit.record(Target.LISTENER, id, verb, Outcome.REFUSED);
                return CommandResult.badRequest("Unknown listener command '" + verb + "': use START or STOP");
            }
        }
        return CommandResult.ok(ZmqInventory.describe(container));
    }

    /**
     * The outcome of an operator command.
     *
     * @param status the HTTP status (200, 400 or 404)
     * @param body what to answer: the steered part's new description, or {@code {"message": …}}
     */
    public record CommandResult(int status, Map<String, Object> body) {

        static CommandResult ok(Map<String, Object> body) {
            return new CommandResult(200, body);
        }

        static CommandResult notFound(String message) {
            return new CommandResult(404, Map.of("message", message));
        }

        static CommandResult badRequest(String message) {
            return new CommandResult(400, Map.of("message", message));
        }
    }
}
