package io.github.zmqboot.internal.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

import zmq.Msg;

/**
 * RFC 6455 framing of a ZWS 2.0 connection once its upgrade is done, working on the engine's buffers: each ZeroMQ
 * frame is one final binary WebSocket frame whose payload is a flags byte (1 more, 2 command) and the frame, as in
 * libzmq 4.3.4's {@code ws_encoder} and {@code ws_decoder}. The encoder writes many frames into one buffer, masking
 * in place on the client side; the decoder takes bytes as they arrive (a frame may span any number of reads),
 * unmasks while copying into the message, and refuses everything RFC 6455 or ZWS forbids before the payload arrives:
 * fragmented, text, unknown-opcode and RSV frames, a mask where none belongs (or none where one must be), lengths not
 * minimally encoded or over 2^63, control frames over 125 bytes, a data frame without its flags byte, and frames over
 * {@code max-message-size}. Netty's codec (used for the upgrade) costs a frame object and a pipeline pass per frame,
 * which kept ws below half of tcp's throughput.
 */
final class WsFrames {

    static final int OPCODE_CONTINUATION = 0x0;

    static final int OPCODE_TEXT = 0x1;

    static final int OPCODE_BINARY = 0x2;

    static final int OPCODE_CLOSE = 0x8;

    static final int OPCODE_PING = 0x9;

    static final int OPCODE_PONG = 0xA;

    /** Close status codes (RFC 6455 section 7.4.1). */
    static final int STATUS_NORMAL = 1000;

    static final int STATUS_PROTOCOL_ERROR = 1002;

    static final int STATUS_UNSUPPORTED_DATA = 1003;

    static final int STATUS_TOO_BIG = 1009;

    static final byte MORE_FLAG = 1;

    static final byte COMMAND_FLAG = 2;

    /** The longest frame header: 2 bytes, an 8-byte length and a 4-byte mask. */
    static final int MAX_HEADER = 14;

    private static final int MAX_CONTROL_PAYLOAD = 125;

    /** The largest message the JVM can hold in one array. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** The first allocation for a large payload: it grows with the bytes that actually arrive. */
    private static final int FIRST_CHUNK = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];

    /** Longs in a byte array in the platform's order: no byte swapping (the mask pattern is swapped once instead). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    /** What the decoder hands on, on the engine's thread. */
    interface Receiver {

        /**
         * A complete ZeroMQ frame with its flags (more, command); false pauses decoding after it (the rest of the
         * input stays where it is).
         */
        boolean frame(Msg msg);

        /** A ping, pong or close frame with its (unmasked) payload; false pauses decoding after it. */
        boolean control(int opcode, byte[] payload);
    }

    private enum State {
        HEADER, FLAGS, PAYLOAD
    }

    /** The accepting side: it receives masked frames and sends unmasked ones; a client the other way round. */
    private final boolean server;

    private final long maxMsgSize;

    private final byte[] header = new byte[MAX_HEADER];

    private State state = State.HEADER;

    private int headerRead;

    private int headerLength;

    private int opcode;

    private int mask;

    /** Payload bytes of the current frame not yet read. */
    private long payloadLeft;

    /** The position in the current frame's payload (for the mask). */
    private int payloadPosition;

    private int messageFlags;

    private byte[] target;

    private int targetSize;

    private int targetFilled;

    private String refusal;

    private int refusalStatus;

    private boolean oversized;

    /**
     * @param server whether this is the accepting side
     * @param maxMsgSize the largest message accepted ({@code max-message-size}), negative for no limit
     */
    WsFrames(boolean server, long maxMsgSize) {
        this.server = server;
        this.maxMsgSize = maxMsgSize;
    }

    /** Why the decoder refused the input, or null. */
    String refusal() {
        return this.refusal;
    }

    /** The close status for the refusal (1002, 1003 or 1009). */
    int refusalStatus() {
        return this.refusalStatus;
    }

    /** Whether the refusal was a frame over {@code max-message-size} (reported as EMSGSIZE). */
    boolean oversized() {
        return this.oversized;
    }

    /** Whether frames this side sends are masked (the client's). */
    boolean masks() {
        return !this.server;
    }

    // ---- encoding

    /** The bytes one ZeroMQ frame of {@code size} bytes takes on the wire. */
    int frameSize(int size) {
        return headerSize(size + 1L) + 1 + size;
    }

    private int headerSize(long payload) {
        int length = (payload <= MAX_CONTROL_PAYLOAD) ? 2 : (payload <= 0xFFFF) ? 4 : 10;
        return this.server ? length : length + 4;
    }

    /** Writes {@code msg} as one binary frame; {@code out} (array-backed) has {@link #frameSize} bytes left. */
    void encode(Msg msg, ByteBuffer out) {
        int size = msg.size();
        int maskKey = putHeader(out, OPCODE_BINARY, size + 1L);
        byte[] array = out.array();
        int start = out.arrayOffset() + out.position();
        byte flags = 0;
        if (msg.hasMore()) {
            flags |= MORE_FLAG;
        }
        if (msg.isCommand()) {
            flags |= COMMAND_FLAG;
        }
        array[start] = flags;
        if (size > 0) {
            msg.getBytes(0, array, start + 1, size);
        }
        if (!this.server) {
            mask(array, start, size + 1, maskKey, 0);
        }
        out.position(out.position() + 1 + size);
    }

    /** A ping, pong or close frame with {@code payload} (at most 125 bytes), in a buffer of its own. */
    ByteBuffer encodeControl(int opcode, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(headerSize(payload.length) + payload.length);
        int maskKey = putHeader(out, opcode, payload.length);
        int start = out.arrayOffset() + out.position();
        out.put(payload);
        if (!this.server) {
            mask(out.array(), start, payload.length, maskKey, 0);
        }
        return out.flip();
    }

    /** A close frame with {@code status}. */
    ByteBuffer encodeClose(int status) {
        return encodeControl(OPCODE_CLOSE, new byte[] { (byte) (status >> 8), (byte) status });
    }

    /** Puts a final frame's header; returns the mask key (a client's frames are masked, RFC 6455 section 5.3). */
    private int putHeader(ByteBuffer out, int opcode, long payload) {
        out.put((byte) (0x80 | opcode));
        int maskBit = this.server ? 0 : 0x80;
        if (payload <= MAX_CONTROL_PAYLOAD) {
            out.put((byte) (maskBit | payload));
        }
        else if (payload <= 0xFFFF) {
            out.put((byte) (maskBit | 126)).putShort((short) payload);
        }
        else {
            out.put((byte) (maskBit | 127)).putLong(payload);
        }
        if (this.server) {
            return 0;
        }
        int maskKey = ThreadLocalRandom.current().nextInt();
        out.putInt(maskKey);
        return maskKey;
    }

    /**
     * XORs {@code length} bytes from {@code start} with the mask key, the first of them at {@code payloadPosition}
     * of the frame's payload: 8 bytes at a time.
     */
    static void mask(byte[] array, int start, int length, int maskKey, int payloadPosition) {
        int rotated = Integer.rotateLeft(maskKey, 8 * (payloadPosition & 3));
        long wide = ((long) rotated << 32) | (rotated & 0xFFFFFFFFL); // the key bytes in wire order, twice
        if (!BIG_ENDIAN) {
            wide = Long.reverseBytes(wide);
        }
        int i = 0;
        for (int end = length - 7; i < end; i += 8) {
            LONGS.set(array, start + i, (long) LONGS.get(array, start + i) ^ wide);
        }
        for (; i < length; i++) {
            array[start + i] ^= (byte) (rotated >>> (24 - 8 * (i & 3)));
        }
    }

    // ---- decoding

    /**
     * Decodes {@code in}, handing every complete frame to {@code receiver}: all of it, unless the input is refused
     * ({@link #refusal()} says why: the connection must fail) or the receiver pauses (then {@code in} is left at the
     * next frame, to be decoded by a later call).
     */
    void decode(ByteBuffer in, Receiver receiver) {
        while (this.refusal == null) {
            if (this.state == State.PAYLOAD && this.payloadLeft == 0) {
                if (!complete(receiver)) { // also a payload of no bytes, complete with its header
                    return;
                }
            }
            else if (!in.hasRemaining()) {
                return;
            }
            else if (this.state == State.HEADER) {
                readHeader(in);
            }
            else if (this.state == State.FLAGS) {
                readFlags(in);
            }
            else {
                readPayload(in);
            }
        }
    }

    private void readHeader(ByteBuffer in) {
        if (this.headerRead < 2) {
            int n = Math.min(2 - this.headerRead, in.remaining());
            in.get(this.header, this.headerRead, n);
            this.headerRead += n;
            if (this.headerRead < 2 || !checkFirstBytes()) {
                return;
            }
        }
        int n = Math.min(this.headerLength - this.headerRead, in.remaining());
        in.get(this.header, this.headerRead, n);
        this.headerRead += n;
        if (this.headerRead == this.headerLength) {
            headerComplete();
        }
    }

    /** Checks the first two bytes (refusing at once what no length can make right) and sets the header length. */
    private boolean checkFirstBytes() {
        int first = this.header[0] & 0xFF;
        int second = this.header[1] & 0xFF;
        this.opcode = first & 0x0F;
        if ((first & 0x70) != 0) {
            return refuse("a frame with reserved bits set (RSV; no extension was negotiated)", STATUS_PROTOCOL_ERROR);
        }
        switch (this.opcode) {
            case OPCODE_BINARY:
                if ((first & 0x80) == 0) {
                    return refuse("a fragmented frame (FIN clear)", STATUS_PROTOCOL_ERROR);
                }
                break;
            case OPCODE_CLOSE, OPCODE_PING, OPCODE_PONG:
                if ((first & 0x80) == 0) {
                    return refuse("a fragmented control frame", STATUS_PROTOCOL_ERROR);
                }
                break;
            case OPCODE_CONTINUATION:
                return refuse("a fragmented frame (a continuation)", STATUS_PROTOCOL_ERROR);
            case OPCODE_TEXT:
                return refuse("a text frame", STATUS_UNSUPPORTED_DATA);
            default:
                return refuse("a frame with the unknown opcode 0x" + Integer.toHexString(this.opcode),
                        STATUS_PROTOCOL_ERROR);
        }
        boolean masked = (second & 0x80) != 0;
        if (masked != this.server) {
            return refuse(this.server ? "an unmasked frame from a client" : "a masked frame from the server",
                    STATUS_PROTOCOL_ERROR);
        }
        int length7 = second & 0x7F;
        this.headerLength = 2 + ((length7 == 126) ? 2 : (length7 == 127) ? 8 : 0) + (masked ? 4 : 0);
        return true;
    }

    private void headerComplete() {
        int length7 = this.header[1] & 0x7F;
        int at = 2;
        long length;
        if (length7 == 126) {
            length = ((this.header[2] & 0xFF) << 8) | (this.header[3] & 0xFF);
            at = 4;
            if (length <= MAX_CONTROL_PAYLOAD) {
                refuse("a frame length not minimally encoded", STATUS_PROTOCOL_ERROR);
                return;
            }
        }
        else if (length7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (this.header[i] & 0xFF);
            }
            at = 10;
            if (length < 0) {
                refuse("a frame length over 2^63", STATUS_PROTOCOL_ERROR);
                return;
            }
            if (length <= 0xFFFF) {
                refuse("a frame length not minimally encoded", STATUS_PROTOCOL_ERROR);
                return;
            }
        }
        else {
            length = length7;
        }
        this.mask = 0;
        if (this.server) {
            this.mask = ((this.header[at] & 0xFF) << 24) | ((this.header[at + 1] & 0xFF) << 16)
                    | ((this.header[at + 2] & 0xFF) << 8) | (this.header[at + 3] & 0xFF);
        }
        this.headerRead = 0;
        this.payloadLeft = length;
        this.payloadPosition = 0;
        if (this.opcode != OPCODE_BINARY) {
            if (length > MAX_CONTROL_PAYLOAD) {
                refuse("a control frame over 125 bytes", STATUS_PROTOCOL_ERROR);
                return;
            }
            startPayload((int) length);
            return;
        }
        if (length == 0) {
            refuse("a frame without its flags byte", STATUS_PROTOCOL_ERROR);
            return;
        }
        long size = length - 1;
        if ((this.maxMsgSize >= 0 && size > this.maxMsgSize) || size > MAX_ARRAY) {
            this.oversized = true;
            refuse("a frame of " + size + " bytes, over max-message-size (" + this.maxMsgSize + ")",
                    STATUS_TOO_BIG);
            return;
        }
        this.state = State.FLAGS;
    }

    private void readFlags(ByteBuffer in) {
        int flags = (in.get() ^ (this.mask >>> 24)) & 0xFF;
        this.payloadLeft--;
        this.payloadPosition = 1;
        this.messageFlags = 0;
        if ((flags & MORE_FLAG) != 0) {
            this.messageFlags |= Msg.MORE;
        }
        if ((flags & COMMAND_FLAG) != 0) {
            this.messageFlags |= Msg.COMMAND;
        }
        startPayload((int) this.payloadLeft);
    }

    private void startPayload(int size) {
        this.targetSize = size;
        this.targetFilled = 0;
        this.target = (size == 0) ? EMPTY : new byte[Math.min(size, FIRST_CHUNK)];
        this.state = State.PAYLOAD;
    }

    private void readPayload(ByteBuffer in) {
        int n = (int) Math.min(this.payloadLeft, in.remaining());
        if (this.targetFilled + n > this.target.length) {
            // grows with what arrives, not with what the header announced
            int grown = (int) Math.min(this.targetSize,
                    Math.max((long) this.targetFilled + n, 2L * this.target.length));
            this.target = Arrays.copyOf(this.target, grown);
        }
        in.get(this.target, this.targetFilled, n);
        if (this.server) {
            mask(this.target, this.targetFilled, n, this.mask, this.payloadPosition);
        }
        this.targetFilled += n;
        this.payloadPosition += n;
        this.payloadLeft -= n;
    }

    private boolean complete(Receiver receiver) {
        byte[] payload = this.target;
        this.target = null;
        this.state = State.HEADER;
        if (this.opcode == OPCODE_BINARY) {
            Msg msg = new Msg(payload);
            if (this.messageFlags != 0) {
                msg.setFlags(this.messageFlags);
            }
            return receiver.frame(msg);
        }
        return receiver.control(this.opcode, payload);
    }

    private boolean refuse(String what, int status) {
        this.refusal = what;
        this.refusalStatus = status;
        return false;
    }
}
