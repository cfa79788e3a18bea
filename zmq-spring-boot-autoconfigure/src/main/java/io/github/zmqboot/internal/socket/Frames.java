package io.github.zmqboot.internal.socket;

import java.util.Arrays;

import org.zeromq.ZFrame;
import org.zeromq.ZMsg;

/** Conversions between the engine's frames ({@code byte[][]}) and JeroMQ's {@link ZMsg}, without copying data. */
final class Frames {

    private static final byte[] EMPTY = new byte[0];

    private Frames() {
    }

    /** The data of every frame of {@code message}, in order (a frame without data is empty). */
    static byte[][] of(ZMsg message) {
        byte[][] frames = new byte[message.size()][];
        int i = 0;
        for (ZFrame frame : message) {
            byte[] data = frame.getData();
            frames[i++] = data != null ? data : EMPTY;
        }
        return frames;
    }

    /** A message of these frames. */
    static ZMsg toMessage(byte[][] frames) {
        ZMsg message = new ZMsg();
        for (byte[] frame : frames) {
            message.add(new ZFrame(frame));
        }
        return message;
    }

    /** {@code payload} prefixed with {@code prefix}. */
    static byte[][] prefixed(byte[] prefix, byte[][] payload) {
        byte[][] frames = new byte[payload.length + 1][];
        frames[0] = prefix;
        System.arraycopy(payload, 0, frames, 1, payload.length);
        return frames;
    }

    /** An empty frame: the delimiter between an envelope and the payload. */
    static byte[] delimiter() {
        return EMPTY;
    }

    /**
     * The frames after the envelope: everything after the first empty frame, or every frame when there is none.
     */
    static byte[][] afterEnvelope(byte[][] frames) {
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].length == 0) {
                return Arrays.copyOfRange(frames, i + 1, frames.length);
            }
        }
        return frames;
    }
}
