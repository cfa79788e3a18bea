package io.github.zmqboot.internal.proxy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.github.zmqboot.core.ProxyStatistics;

/**
 * The wire format of {@code zmq_proxy_steerable}'s control socket, byte for byte as libzmq's current man page and
 * implementation: the commands are the exact, case-sensitive ASCII bytes {@code PAUSE}, {@code RESUME},
 * {@code TERMINATE} and {@code STATISTICS}; the {@code STATISTICS} reply is eight frames, each an unsigned 64-bit
 * integer in host order (little-endian on every platform this runs on), in {@link ProxyStatistics}' order; a REP
 * control socket answers every other message (command or not) with one empty frame.
 */
final class ControlProtocol {

    /** The reply frame of a REP control socket to everything but {@code STATISTICS}. */
    static final byte[] EMPTY_REPLY = new byte[0];

    private ControlProtocol() {
    }

    /** A steering command. */
    enum Command {

        /** Stop moving messages. */
        PAUSE,

        /** Move messages again. */
        RESUME,

        /** Stop the proxy and close its sockets. */
        TERMINATE,

        /** Reply with the eight counters; the state does not change. */
        STATISTICS;

        private final byte[] bytes = name().getBytes(StandardCharsets.US_ASCII);
    }

    /** The command these bytes are, or null when they are none (an unknown command is ignored, never fatal). */
    static Command parse(byte[] frame) {
        for (Command command : Command.values()) {
            if (Arrays.equals(command.bytes, frame)) {
                return command;
            }
        }
        return null;
    }

    /** The bytes of a command, as a libzmq program sends it. */
    static byte[] encode(Command command) {
        return command.bytes.clone();
    }

    /** The eight frames of a {@code STATISTICS} reply. */
    static byte[][] statisticsFrames(ProxyStatistics statistics) {
        long[] values = statistics.toArray();
        byte[][] frames = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            frames[i] = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(values[i]).array();
        }
        return frames;
    }

    /** Reads a {@code STATISTICS} reply back (eight little-endian frames). */
    static ProxyStatistics parseStatistics(byte[][] frames) {
        if (frames.length != 8) {
            throw new IllegalArgumentException("a STATISTICS reply has 8 frames, not " + frames.length);
        }
        long[] values = new long[8];
        for (int i = 0; i < 8; i++) {
            if (frames[i].length != Long.BYTES) {
                throw new IllegalArgumentException("frame " + i + " has " + frames[i].length + " bytes, not 8");
            }
            values[i] = ByteBuffer.wrap(frames[i]).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }
        return new ProxyStatistics(values[0], values[1], values[2], values[3], values[4], values[5], values[6],
                values[7]);
    }
}
