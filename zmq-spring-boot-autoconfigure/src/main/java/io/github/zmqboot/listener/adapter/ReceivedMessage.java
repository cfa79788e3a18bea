package io.github.zmqboot.listener.adapter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.zmqboot.listener.ZmqHeaders;
import io.github.zmqboot.internal.engine.InboundMessage;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * A message as a listener sees it: the frames of an {@link InboundMessage} split, by the socket type's rules, into
 * the envelope (ROUTER and DEALER: every frame up to and including the first empty one; for ROUTER at least the
 * identity frame), the topic (SUB) and the payload frames; or the one frame of a single-frame socket's message. The
 * Spring {@link Message} payload is the last payload frame; headers are built only when something asks for them.
 */
final class ReceivedMessage implements Message<byte[]> {

    private static final byte[] EMPTY = new byte[0];

    private final int routingId;

    /** Every frame; {@code null} for a single-frame message, whose one frame is {@link #payload}. */
    private final byte[][] frames;

    private final byte[] payload;

    private final String socketName;

    private final SocketType type;

    private final int envelopeFrames;

    private final int payloadFrom;

    /** The topic: a SUB message's first frame; for a single frame, resolved when first asked (see {@link #topic()}). */
    private String topic;

    /** A single-frame SUB message's socket subscriptions, to name its topic when asked; else {@code null}. */
    private final List<String> subscriptions;

    private MessageHeaders headers;

    private ReceivedMessage(int routingId, byte[][] frames, byte[] payload, String socketName, SocketType type,
            int envelopeFrames, int payloadFrom, String topic, List<String> subscriptions) {
        this.routingId = routingId;
        this.frames = frames;
        this.payload = payload;
        this.socketName = socketName;
        this.type = type;
        this.envelopeFrames = envelopeFrames;
        this.payloadFrom = payloadFrom;
        this.topic = topic;
        this.subscriptions = subscriptions;
    }

    /**
     * Splits {@code inbound} by the rules of {@code type}.
     *
     * @param subscriptions the SUB socket's subscriptions, to name the topic of a single-frame message
     */
    public static ReceivedMessage of(InboundMessage inbound, String socketName, SocketType type,
            List<String> subscriptions) {
        byte[][] frames = inbound.frames();
        return switch (type) {
            case ROUTER -> {
                int envelope = firstEmptyFrame(frames) + 1;
                int end = envelope > 0 ? envelope : Math.min(1, frames.length);
                yield split(inbound, socketName, type, end, end, null, null);
            }
            case DEALER -> {
                int end = firstEmptyFrame(frames) + 1;
                yield split(inbound, socketName, type, end, end, null, null);
            }
            case SUB, XSUB -> frames.length >= 2
                    ? split(inbound, socketName, type, 0, 1, new String(frames[0], StandardCharsets.UTF_8), null)
                    : split(inbound, socketName, type, 0, 0, null, subscriptions);
            default -> split(inbound, socketName, type, 0, 0, null, null);
        };
    }

    /**
     * The one frame of a message of a single-frame socket type (PEER, SERVER, CLIENT, DISH, ...): no envelope, no
     * topic.
     *
     * @param routingId the sender's routing id (PEER, SERVER), else 0
     */
    public static ReceivedMessage ofFrame(int routingId, byte[] frame, String socketName, SocketType type) {
        return new ReceivedMessage(routingId, null, frame, socketName, type, 0, 0, null, null);
    }

    private static ReceivedMessage split(InboundMessage inbound, String socketName, SocketType type,
            int envelopeFrames, int payloadFrom, String topic, List<String> subscriptions) {
        byte[][] frames = inbound.frames();
        byte[] payload = frames.length > payloadFrom ? frames[frames.length - 1] : EMPTY;
        return new ReceivedMessage(inbound.routingId(), frames, payload, socketName, type, envelopeFrames,
                payloadFrom, topic, subscriptions);
    }

    @Override
    public byte[] getPayload() {
        return this.payload;
    }

    @Override
    public MessageHeaders getHeaders() {
        if (this.headers == null) {
            Map<String, Object> map = new HashMap<>(8);
            map.put(ZmqHeaders.SOCKET, this.socketName);
            if (this.type == SocketType.PEER || this.type == SocketType.SERVER) {
                map.put(ZmqHeaders.ROUTING_ID, this.routingId);
            }
            if (this.type == SocketType.ROUTER && this.envelopeFrames > 0) {
                map.put(ZmqHeaders.IDENTITY, this.frames[0]);
            }
            String topic = topic();
            if (topic != null) {
                map.put(ZmqHeaders.TOPIC, topic);
            }
            this.headers = new ZmqMessageHeaders(map);
        }
        return this.headers;
    }

    /** The sender's routing id (PEER, SERVER), else 0. */
    public int routingId() {
        return this.routingId;
    }

    /**
     * A new array for a reply: the frames that make it reach the sender (ROUTER, DEALER; possibly none) first, then
     * {@code payloadFrames} empty slots for the reply's own frames.
     */
    public byte[][] envelopeFollowedBy(int payloadFrames) {
        return this.envelopeFrames == 0 ? new byte[payloadFrames][]
                : Arrays.copyOf(this.frames, this.envelopeFrames + payloadFrames);
    }

    /**
     * The topic (SUB): the first frame of a multipart message; for a single frame the longest subscription it
     * matched, looked up on first use (a listener that never reads the topic header pays nothing for it), or
     * {@code null}.
     */
    String topic() {
        if (this.topic == null && this.subscriptions != null) {
            this.topic = matchedSubscription(this.frames, this.subscriptions);
        }
        return this.topic;
    }

    /** The number of envelope frames. */
    public int envelopeSize() {
        return this.envelopeFrames;
    }

    /** Every payload frame, as a new {@link ZMsg}. */
    public ZMsg payloadFrames() {
        ZMsg msg = new ZMsg();
        if (this.frames == null) {
            msg.add(this.payload);
            return msg;
        }
        for (int i = this.payloadFrom; i < this.frames.length; i++) {
            msg.add(this.frames[i]);
        }
        return msg;
    }

    /** A key that is equal for messages of one sender, where the socket type identifies senders. */
    public int senderKey() {
        if (this.type == SocketType.ROUTER && this.envelopeFrames > 0) {
            return Arrays.hashCode(this.frames[0]);
        }
        return this.routingId;
    }

    @Override
    public String toString() {
        return "ReceivedMessage[socket=" + this.socketName + ", frames="
                + (this.frames == null ? 1 : this.frames.length) + "]";
    }

    private static int firstEmptyFrame(byte[][] frames) {
        for (int i = 0; i < frames.length - 1; i++) {
            if (frames[i].length == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String matchedSubscription(byte[][] frames, List<String> subscriptions) {
        String best = null;
        if (frames.length == 1) {
            for (String subscription : subscriptions) {
                byte[] prefix = subscription.getBytes(StandardCharsets.UTF_8);
                if (startsWith(frames[0], prefix) && (best == null || subscription.length() > best.length())) {
                    best = subscription;
                }
            }
        }
        return best;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
