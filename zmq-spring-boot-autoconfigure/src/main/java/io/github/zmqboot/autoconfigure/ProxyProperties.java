package io.github.zmqboot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.zeromq.SocketType;

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
    private Side frontend = new Side();

    /** The backend socket: where they go out (and replies or subscriptions come back). */
    private Side backend = new Side();

    /** Optional capture socket that gets a copy of every message of both directions (PUB, DEALER, PUSH, PAIR; default PUB). */
    private Side capture;

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

    public Side getFrontend() {
        return this.frontend;
    }

    public void setFrontend(Side frontend) {
        this.frontend = frontend;
    }

    public Side getBackend() {
        return this.backend;
    }

    public void setBackend(Side backend) {
        this.backend = backend;
    }

    public Side getCapture() {
        return this.capture;
    }

    public void setCapture(Side capture) {
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

    /** The control socket: a side, and the commands it obeys. */
    public static class Control extends Side {

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

    /** One socket of a proxy: every socket option, its type, and the endpoints it binds and connects at start. */
    public static class Side extends ZmqProperties.SocketProperties {

        /** Socket type, overriding the preset's (capture: PUB, DEALER, PUSH or PAIR; control: REP or PAIR). */
        private SocketType type;

        /** Endpoints to bind when the proxy starts, e.g. tcp://*:5559 (port 0 or * = ephemeral). */
        private List<String> bind = new ArrayList<>();

        /** Endpoints to connect when the proxy starts. */
        private List<String> connect = new ArrayList<>();

        public SocketType getType() {
            return this.type;
        }

        public void setType(SocketType type) {
            this.type = type;
        }

        public List<String> getBind() {
            return this.bind;
        }

        public void setBind(List<String> bind) {
            this.bind = bind;
        }

        public List<String> getConnect() {
            return this.connect;
        }

        public void setConnect(List<String> connect) {
            this.connect = connect;
        }
    }
}
