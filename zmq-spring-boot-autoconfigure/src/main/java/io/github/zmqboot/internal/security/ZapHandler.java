package io.github.zmqboot.internal.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.zmqboot.internal.monitor.SecurityLog;
import io.github.zmqboot.core.ZmqThreadFactory;
import io.github.zmqboot.internal.engine.InboundMessage;
import io.github.zmqboot.internal.engine.InboundReader;
import io.github.zmqboot.internal.engine.InboundSource;
import io.github.zmqboot.internal.engine.ZapDomains;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import zmq.SocketBase;
import zmq.util.Z85;

/**
 * The context's ZAP handler (ZeroMQ Authentication Protocol, RFC 27) on {@value #ENDPOINT}: the engine asks it
 * whether to accept each client that completes a CURVE handshake with any server socket of the context. A server
 * socket with {@code curve.allowed-clients} gets a ZAP domain of its own, and only clients whose public key is listed
 * for that domain are accepted ({@code 400} otherwise: the engine drops the connection, and the refusal is reported on
 * the server socket as libzmq reports it, and logged at INFO under the {@link SecurityLog} rule: a client that keeps
 * reconnecting writes one line a minute); every other authentication request is accepted, as it would be with no
 * handler at all. Runs on a REP socket from the starter's socket factory, read by that socket's own thread.
 */
public final class ZapHandler implements ZapDomains {

    /** Where libzmq and the engine look for the ZAP handler of a context. */
    public static final String ENDPOINT = "inproc://zeromq.zap.01";

    /** The socket name of the handler (in logs). */
    public static final String SOCKET_NAME = "zap-handler";

    private static final Log logger = LogFactory.getLog(ZapHandler.class);

    private static final byte[] VERSION = "1.0".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] EMPTY = new byte[0];

    private final Map<String, Set<String>> allowedByDomain = new ConcurrentHashMap<>();

    private final Map<String, SocketBase> serversByDomain = new ConcurrentHashMap<>();

    private final ZmqThreadFactory threads;

    private InboundSource socket;

    /** @param threads makes the thread that reads the handler's socket */
    public ZapHandler(ZmqThreadFactory threads) {
        this.threads = threads;
    }

    /**
     * Starts answering on {@code socket}, a REP socket bound to {@value #ENDPOINT}.
     */
    public void start(InboundSource socket) {
        this.socket = socket;
        socket.claim(this);
        socket.startReading(new InboundReader() {

            @Override
            public void onMessage(InboundMessage request) {
                answer(request);
            }

            @Override
            public Thread newReadingThread(String name, Runnable loop) {
                return ZapHandler.this.threads.newThread(ZmqThreadFactory.Role.READER, name, loop);
            }
        });
    }

    /** Only {@code clientKeys} (Z85 public keys) may connect to the server sockets of {@code domain}. */
    @Override
    public void allow(String domain, List<String> clientKeys) {
        this.allowedByDomain.put(domain, Set.copyOf(clientKeys));
    }

    /**
     * Reports each refusal of a client of {@code domain} on {@code server} as the engine event
     * {@code HANDSHAKE_FAILED_AUTH} with the status code, as libzmq does (JeroMQ reports it only on the client).
     */
    @Override
    public void reportRefusalsOn(String domain, SocketBase server) {
        this.serversByDomain.put(domain, server);
    }

    /** Answers one request: a REP socket must answer each one, or it takes no more (every handshake would stall). */
    private void answer(InboundMessage request) {
        byte[][] frames = request.frames();
        try {
            decide(frames);
        }
        catch (RuntimeException ex) {
            logger.error("ZAP handler failed on a request; refusing it", ex);
            reply(frames.length > 1 ? frames[1] : EMPTY, "500", "internal error", "");
        }
    }

    private void decide(byte[][] frames) {
        // RFC 27: version, request id, domain, address, identity, mechanism, credentials...
        if (frames.length < 6 || !"1.0".equals(text(frames[0]))) {
            logger.warn("Ignoring a malformed ZAP request of " + frames.length + " frames");
            reply(frames.length > 1 ? frames[1] : EMPTY, "500", "malformed request", "");
            return;
        }
        byte[] requestId = frames[1];
        String domain = text(frames[2]);
        String mechanism = text(frames[5]);
        Set<String> allowed = this.allowedByDomain.get(domain);
        if (allowed == null) {
            reply(requestId, "200", "OK", "");
            return;
        }
        String clientKey = "CURVE".equals(mechanism) && frames.length > 6 && frames[6].length == 32
                ? Z85.encode(frames[6], 32) : null;
        if (clientKey != null && allowed.contains(clientKey)) {
            reply(requestId, "200", "OK", clientKey);
        }
        else {
            String address = text(frames[3]);
            SecurityLog.info(logger, this.serversByDomain.get(domain), address, () -> "Refused a " + mechanism
                    + " client of ZAP domain '" + domain + "' from " + address
                    + (clientKey != null ? " with public key " + clientKey : "") + ": not in curve.allowed-clients");
            reply(requestId, "400", "client key not allowed", "");
            reportRefusal(domain, address);
        }
    }

    private void reportRefusal(String domain, String address) {
        SocketBase server = this.serversByDomain.get(domain);
        if (server != null) {
            try {
                server.eventHandshakeFailedAuth(address, 400); // the engine's event lock makes this safe here
            }
            catch (RuntimeException ex) {
                logger.debug("Could not report a refused client on the server of ZAP domain '" + domain + "'", ex);
            }
        }
    }

    private void reply(byte[] requestId, String status, String statusText, String userId) {
        this.socket.reply(0, new byte[][] { VERSION, requestId, ascii(status), ascii(statusText), ascii(userId),
                EMPTY });
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
