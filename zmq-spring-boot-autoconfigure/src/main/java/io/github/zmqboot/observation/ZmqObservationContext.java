package io.github.zmqboot.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code zmq.listener} or {@code zmq.send} observation is about: the socket and, once the call ended, its
 * outcome. Conventions read it; the default ones answer with key values built once per listener or socket.
 */
public abstract class ZmqObservationContext extends Observation.Context {

    /** The outcome of a call that returned normally. */
    public static final String SUCCESS = "success";

    /** The outcome of a call that threw. */
    public static final String FAILURE = "failure";

    /** The key of the socket's bean name ({@link ZmqObservation.Keys#SOCKET}). */
    public static final String SOCKET_KEY = "socket";

    /** The key of a listener's id ({@link ZmqObservation.Keys#LISTENER_ID}). */
    public static final String LISTENER_ID_KEY = "id";

    /** The key of the outcome ({@link ZmqObservation.Keys#OUTCOME}). */
    public static final String OUTCOME_KEY = "outcome";

    private final String socket;

    private final KeyValueSets keyValues;

    private @Nullable String outcome;

    ZmqObservationContext(String socket, KeyValueSets keyValues) {
        this.socket = socket;
        this.keyValues = keyValues;
    }

    /** The socket's bean name. */
    public String getSocket() {
        return this.socket;
    }

    /** {@link #SUCCESS} or {@link #FAILURE} once the call ended, {@code null} while it runs. */
    public @Nullable String getOutcome() {
        return this.outcome;
    }

    void setOutcome(@Nullable String outcome) {
        this.outcome = outcome;
    }

    /** The key values the default conventions answer with; built once per listener or socket. */
    KeyValueSets keyValueSets() {
        return this.keyValues;
    }

    /**
     * The low-cardinality key values of one listener or socket while a call runs and after each outcome, and the
     * contextual name: what the default conventions answer, built once instead of on every call.
     */
    record KeyValueSets(String socket, KeyValues running, KeyValues succeeded, KeyValues failed,
            String contextualName) {

        static KeyValueSets of(String socket, KeyValues running, String contextualName) {
            return new KeyValueSets(socket, running, running.and(OUTCOME_KEY, SUCCESS),
                    running.and(OUTCOME_KEY, FAILURE), contextualName);
        }

        KeyValues forOutcome(String outcome) {
            if (outcome == null) {
                return this.running;
            }
            return outcome.equals(SUCCESS) ? this.succeeded : this.failed;
        }
    }
}
