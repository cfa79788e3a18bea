package io.github.zmqboot.listener.adapter;

import io.github.zmqboot.convert.ZmqPayloadConverter;
import org.zeromq.ZFrame;
import org.zeromq.ZMsg;

import org.springframework.messaging.Message;

/**
 * Turns a handler's return value into the frames of a reply: {@code byte[]} as it is, {@code String} as UTF-8,
 * {@code ZMsg} as its frames, a {@link Message} as its payload, anything else through the payload converter (JSON by
 * default), with the received message's envelope in front where the socket type needs one.
 */
final class ReplyFrames {

    private final ZmqPayloadConverter converter;

    ReplyFrames(ZmqPayloadConverter converter) {
        this.converter = converter;
    }

    byte[][] of(ReceivedMessage received, Object value) {
        Object body = value instanceof Message<?> message ? message.getPayload() : value;
        if (body instanceof ZMsg msg) {
            byte[][] frames = received.envelopeFollowedBy(msg.size());
            int i = received.envelopeSize();
            for (ZFrame frame : msg) {
                frames[i++] = frame.getData();
            }
            return frames;
        }
        byte[][] frames = received.envelopeFollowedBy(1);
        frames[frames.length - 1] = this.converter.toPayload(body);
        return frames;
    }

    /** An empty reply (one empty frame, behind the envelope): what REP answers when there is nothing to say. */
    byte[][] empty(ReceivedMessage received) {
        byte[][] frames = received.envelopeFollowedBy(1);
        frames[frames.length - 1] = new byte[0];
        return frames;
    }
}
