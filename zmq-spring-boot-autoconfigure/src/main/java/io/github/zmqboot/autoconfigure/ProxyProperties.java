package io.github.zmqboot.autoconfigure;

import java.time.Duration;
import java.util.List;

/**
 * One proxy under {@code zmq.proxies.<name>}: a preset for its socket types, its frontend and backend, an optional
 * capture and control socket, and whether it starts with the application.
 */
public class ProxyProperties {

    /**
     * The conventional proxy: router-dealer (shared queue), xsub-xpub (forwarder) or pull-push (pipeline). Sets the
     * default socket types of frontend and backend; may be omitted when both sides set their own type.
     */
    private String type;

    /** The frontend socket: where requests, tasks or publications come in. */
    private TypedEndpointProperties frontend = new TypedEndpointProperties();

    /** The backend socket: where they go out (and replies or subscriptions come back). */
    private TypedEndpointProperties backend = new TypedEndpointProperties();

    /** Optional capture socket that gets a copy of every message of both directions (PUB, DEALER, PUSH, PAIR; default PUB). */
    private TypedEndpointProperties capture;

    /**
     * Optional control socket speaking libzmq's zmq_proxy_steerable protocol (REP or PAIR; default REP). REP serves
     * any number of controllers; PAIR serves one peer at a time (a new one is refused while the previous connection
     * lingers), so it suits a single, long-lived controller.
     */
    private Control control;

    /** Whether the proxy starts with the application context (else call start() on the bean). */
    private boolean autoStartup = true;

    /**
     * How long a router-dealer proxy drains when the application stops: it stops reading new requests and forwards
     * replies until every forwarded request is answered or this time passes (listeners keep serving meanwhile).
     */
    private Duration drainTimeout = Duration.ofSeconds(10);

    public String getType() {
        return this.type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public TypedEndpointProperties getFrontend() {
        return this.frontend;
    }

    public void setFrontend(TypedEndpointProperties frontend) {
        this.frontend = frontend;
    }

    public TypedEndpointProperties getBackend() {
        return this.backend;
    }

    public void setBackend(TypedEndpointProperties backend) {
        this.backend = backend;
    }

    public TypedEndpointProperties getCapture() {
        return this.capture;
    }

    public void setCapture(TypedEndpointProperties capture) {
        this.capture = capture;
    }

    public Control getControl() {
        return this.control;
    }

    public void setControl(Control control) {
        this.control = control;
    }

    public Duration getDrainTimeout() {
        return this.drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public boolean isAutoStartup() {
        return this.autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    /** The control socket: a side like the others, and the commands it obeys. */
    public static class Control extends TypedEndpointProperties {

        /**
         * The commands the control socket obeys (PAUSE, RESUME, TERMINATE, STATISTICS; default: all, as libzmq).
         * Any other is answered as an unknown command is (REP: an empty frame). A tcp control socket obeys anyone
         * who reaches it: bind it to loopback or inproc, give it curve, or allow [STATISTICS] only.
         */
        private List<String> allowedCommands;

        public List<String> getAllowedCommands() {
            return this.allowedCommands;
        }

        public void setAllowedCommands(List<String> allowedCommands) {
            this.allowedCommands = allowedCommands;
        }
    }
}
