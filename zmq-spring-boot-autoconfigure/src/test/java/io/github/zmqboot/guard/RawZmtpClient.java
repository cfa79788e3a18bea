package io.github.zmqboot.guard;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A ZeroMQ peer written by hand over a plain {@link java.net.Socket}, the way an attacker or a scanner talks to a
 * port: it speaks exactly the ZMTP bytes the tests give it (read from JeroMQ 0.6.0's {@code StreamEngine},
 * {@code V2Decoder} and {@code NullMechanism}), and sends whatever hostile bytes it is told to.
 * <p>
 * Every read is bounded by the socket's read timeout.
 */
final class RawZmtpClient implements Closeable {

    /** ZMTP frame flags (ZMTP/2.0 and 3.x). */
    static final int MORE = 0x01;

    static final int LARGE = 0x02;

    static final int COMMAND = 0x04;

    /** Frame size fields that are negative as a Java {@code long} (the CVE-2019-6250 pattern). */
    enum HostileSize {

        /** -1: JeroMQ allocates {@code (int) -1}: the classic exploit that spins the I/O thread. */
        ALL_ONES(0xFFFFFFFFFFFFFFFFL, true),
        /** Low 32 bits {@code Integer.MIN_VALUE}: also allocated as a negative size. */
        INT_MIN(0x8000000080000000L, true),
        /** Only the sign bit: {@code (int)} of it is 0, so the engine reads an empty frame (harmless, delivered). */
        SIGN_BIT_ONLY(0x8000000000000000L, false);

        final long size;

        /** Whether the frame guard sees (and drops) this size: its low 32 bits are negative as an {@code int}. */
        final boolean guarded;

        HostileSize(long size, boolean guarded) {
            this.size = size;
            this.guarded = guarded;
        }

        /** The 9 bytes of a frame header with the LARGE flag and this size, and no body. */
        byte[] frameHeader() {
            return ByteBuffer.allocate(9).put((byte) LARGE).putLong(this.size).array();
        }
    }

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;

    private final OutputStream out;

    private final DataInputStream in;

    private final Duration readTimeout;

    private RawZmtpClient(int port, Duration readTimeout) throws IOException {
        this.readTimeout = readTimeout;
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        this.socket.setSoTimeout((int) readTimeout.toMillis());
        this.socket.setTcpNoDelay(true);
        this.out = this.socket.getOutputStream();
        this.in = new DataInputStream(this.socket.getInputStream());
    }

    /**
     * Connects and completes a ZMTP/2.0 greeting: the 10-byte signature {@code FF 00..00 01 7F}, revision
     * {@code 01}, the socket type byte, then the identity frame (empty) that ZMTP/2.0 sends first. Reads the
     * engine's 12-byte greeting and its identity frame.
     */
    static RawZmtpClient zmtp2(int port, int socketType) throws IOException {
        RawZmtpClient client = new RawZmtpClient(port, READ_TIMEOUT);
        client.sendRaw(new byte[] { (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 0x01, (byte) socketType, 0x00, 0x00 });
        byte[] greeting = client.readExactly(12);
        check(greeting[0] == (byte) 0xFF && greeting[9] == 0x7F, "engine greeting");
        Frame identity = client.readFrame();
        check(!identity.command(), "engine identity frame (ZMTP/2.0)");
        return client;
    }

    /**
     * Connects and completes a ZMTP/3.1 NULL handshake as a real client does: sends the 64-byte greeting (signature,
     * version 3.1, mechanism "NULL", as-server 0, filler), reads the engine's greeting, sends READY with
     * {@code Socket-Type}, and reads the engine's READY.
     */
    static RawZmtpClient zmtp3(int port, String socketType) throws IOException {
        return zmtp3(port, socketType, READ_TIMEOUT);
    }

    /** {@link #zmtp3(int, String)} with its own bound on every read. */
    static RawZmtpClient zmtp3(int port, String socketType, Duration readTimeout) throws IOException {
        RawZmtpClient client = new RawZmtpClient(port, readTimeout);
        client.sendRaw(nullGreeting());
        byte[] answer = client.readExactly(64);
        check(answer[0] == (byte) 0xFF && answer[9] == 0x7F && answer[10] == 3, "engine greeting (ZMTP/3)");
        check("NULL".equals(new String(answer, 12, 4, StandardCharsets.US_ASCII)), "engine mechanism NULL");
        client.sendRaw(frame(COMMAND, ready(socketType)));
        Frame ready = client.readFrame();
        check(ready.command() && ready.body().length > 6 && ready.body()[0] == 5
                && "READY".equals(new String(ready.body(), 1, 5, StandardCharsets.US_ASCII)), "engine READY command");
        return client;
    }

    /** The 64-byte ZMTP/3.1 greeting of a NULL client: signature, version 3.1, mechanism "NULL", as-server 0. */
    static byte[] nullGreeting() {
        return greeting("NULL");
    }

    /** Connects and sends nothing. */
    static RawZmtpClient connectOnly(int port) throws IOException {
        return new RawZmtpClient(port, READ_TIMEOUT);
    }

    /**
     * Connects and sends only a ZMTP/3.1 greeting offering {@code mechanism} (as a client), then reads the engine's
     * greeting: the handshake is left unfinished (no READY, HELLO, ...).
     */
    static RawZmtpClient greetingOnly(int port, String mechanism) throws IOException {
        RawZmtpClient client = new RawZmtpClient(port, READ_TIMEOUT);
        client.sendRaw(greeting(mechanism));
        byte[] answer = client.readExactly(64);
        check(answer[0] == (byte) 0xFF && answer[9] == 0x7F && answer[10] == 3, "engine greeting (ZMTP/3)");
        check(mechanism.equals(new String(answer, 12, mechanism.length(), StandardCharsets.US_ASCII)),
                "engine mechanism " + mechanism);
        return client;
    }

    /**
     * Connects and sends only a ZMTP/2.0 greeting (signature, revision 1, the socket type), then reads the engine's
     * 12-byte greeting: the identity frame that completes a ZMTP/2.0 handshake is not sent.
     */
    static RawZmtpClient zmtp2GreetingOnly(int port, int socketType) throws IOException {
        RawZmtpClient client = new RawZmtpClient(port, READ_TIMEOUT);
        client.sendRaw(new byte[] { (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 0x01, (byte) socketType });
        byte[] greeting = client.readExactly(12);
        check(greeting[0] == (byte) 0xFF && greeting[9] == 0x7F, "engine greeting");
        return client;
    }

    /** The 64 bytes of a ZMTP/3.1 client greeting offering {@code mechanism}. */
    static byte[] greeting(String mechanism) {
        byte[] greeting = new byte[64];
        greeting[0] = (byte) 0xFF;
        greeting[8] = 1;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        greeting[11] = 1;
        byte[] name = mechanism.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, greeting, 12, name.length);
        return greeting;
    }

    /** The 9 bytes of a frame header with the LARGE flag, {@code flags} and this size, and no body. */
    static byte[] largeFrameHeader(int flags, long size) {
        return ByteBuffer.allocate(9).put((byte) (flags | LARGE)).putLong(size).array();
    }

    /** The body of a READY command with one property, {@code Socket-Type}. */
    static byte[] ready(String socketType) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(5);
        body.writeBytes("READY".getBytes(StandardCharsets.US_ASCII));
        byte[] name = "Socket-Type".getBytes(StandardCharsets.US_ASCII);
        body.write(name.length);
        body.writeBytes(name);
        byte[] value = socketType.getBytes(StandardCharsets.US_ASCII);
        body.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        body.writeBytes(value);
        return body.toByteArray();
    }

    /** A ZMTP/2.0-3.x frame: flags, a 1-byte or (LARGE) 8-byte size, the body. */
    static byte[] frame(int flags, byte[] body) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        if (body.length > 255) {
            frame.write(flags | LARGE);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(body.length).array());
        }
        else {
            frame.write(flags);
            frame.write(body.length);
        }
        frame.writeBytes(body);
        return frame.toByteArray();
    }

    /** The client's own port (the engine sees it as the connection's remote port). */
    int localPort() {
        return this.socket.getLocalPort();
    }

    /** Sends one single-frame message. */
    void send(String payload) throws IOException {
        sendRaw(frame(0, payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends bytes as they are. */
    void sendRaw(byte[] bytes) throws IOException {
        this.out.write(bytes);
        this.out.flush();
    }

    /** Reads one frame (blocking, bounded by the read timeout). */
    Frame readFrame() throws IOException {
        int flags = this.in.readUnsignedByte();
        long size = (flags & LARGE) != 0 ? this.in.readLong() : this.in.readUnsignedByte();
        check(size >= 0 && size < 1 << 20, "sane frame size " + size);
        return new Frame(flags, readExactly((int) size));
    }

    /** Reads frames up to the first one that is not a command; returns its body as UTF-8. */
    String readMessage() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (!frame.command()) {
                return new String(frame.body(), StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * Whether the engine closes this connection within {@code timeout}: reads (and discards) until end of stream.
     *
     * @return true on end of stream or reset, false when the connection stayed open for the whole timeout
     */
    boolean closedByPeerWithin(Duration timeout) throws IOException {
        this.socket.setSoTimeout((int) timeout.toMillis());
        try {
            while (this.in.read() >= 0) {
                // discard whatever the engine still sends
            }
            return true;
        }
        catch (SocketTimeoutException ex) {
            return false;
        }
        catch (IOException reset) {
            return true;
        }
        finally {
            if (!this.socket.isClosed()) {
                this.socket.setSoTimeout((int) this.readTimeout.toMillis());
            }
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = new byte[length];
        this.in.readFully(bytes);
        return bytes;
    }

    private static void check(boolean condition, String what) throws IOException {
        if (!condition) {
            throw new IOException("unexpected ZMTP bytes from the engine: " + what);
        }
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }

    /** One frame as read from the wire. */
    record Frame(int flags, byte[] body) {

        boolean command() {
            return (this.flags & COMMAND) != 0;
        }
    }
}
