package io.github.zmqboot.internal.monitor;

import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.zmqboot.core.ZmqSteeringEvent;
import io.github.zmqboot.core.ZmqSteeringEvent.Outcome;
import io.github.zmqboot.core.ZmqSteeringEvent.Target;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Records every steering command: one {@code INFO} line and one {@link ZmqSteeringEvent} for the application.
 * Proxies and listener containers record the commands their public methods carry out, with the origin of the
 * calling thread: {@code api} unless a caller such as the actuator endpoint ran the call inside
 * {@link #callingAs(String, String, Supplier)}. A proxy records control-socket commands with their peer's address.
 */
public final class SteeringAudit {

    /** The origin of a Java call. */
    public static final String API = "api";

    /** Logs only; for parts built without an application context. */
    public static final SteeringAudit LOG_ONLY = new SteeringAudit(event -> {
    });

    private static final Log logger = LogFactory.getLog(SteeringAudit.class);

    private static final ThreadLocal<Caller> CALLER = new ThreadLocal<>();

    private final Consumer<Object> publisher;

    /** @param publisher publishes an event to the application (e.g. an {@code ApplicationEventPublisher}) */
    public SteeringAudit(Consumer<Object> publisher) {
        this.publisher = publisher;
    }

    /** Runs {@code call} on this thread with steering commands recorded as coming from {@code origin}. */
    public static <T> T callingAs(String origin, String principal, Supplier<T> call) {
        Caller previous = CALLER.get();
        CALLER.set(new Caller(origin, principal));
        try {
            return call.get();
        }
        finally {
            if (previous != null) {
                CALLER.set(previous);
            }
            else {
                CALLER.remove();
            }
        }
    }

    /** Records a command given on this thread (origin {@code api} unless inside {@link #callingAs}). */
    public void record(Target target, String name, String command, Outcome outcome) {
        Caller caller = CALLER.get();
        record(new ZmqSteeringEvent(target, name, command, outcome, caller != null ? caller.origin() : API,
                caller != null ? caller.principal() : null));
    }

    /** Logs {@code event} and publishes it; a failing event listener is logged, never the caller's problem. */
    public void record(ZmqSteeringEvent event) {
        logger.info("Steering: " + event.command() + " " + event.target().label() + " '" + event.name() + "' "
                + event.outcome() + " (origin " + event.origin()
                + (event.principal() != null ? ", principal " + event.principal() : "") + ")");
        try {
            this.publisher.accept(event);
        }
        catch (RuntimeException ex) {
            logger.warn("A listener of " + event + " failed", ex);
        }
    }

    private record Caller(String origin, String principal) {
    }
}
