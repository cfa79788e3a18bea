package io.github.zmqboot.internal.transport;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket client written by hand over a plain {@link Socket}, the way an attacker talks to a ws port: it sends
 * exactly the bytes a test gives it (RFC 6455 frames masked as a client's must be). Every read is bounded.
 */
final class RawWebSocketClient implements Closeable {

    static final int FIN = 0x80;

    static final int TEXT = 0x1;

    static final int BINARY = 0x2;

    static final int CLOSE = 0x8;

    static final int PING = 0x9;

    static final int PONG = 0xA;

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private final Socket socket;

    private final int port;

    RawWebSocketClient(int port) throws IOException {
        this.port = port;
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        this.socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    }

    /** Sends an upgrade request for {@code subprotocol} and returns the response's status line. */
    String upgrade(String subprotocol) throws IOException {
        send(("GET /peer HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Protocol: " + subprotocol + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        return readHead(this.socket.getInputStream()).lines().findFirst().orElse("");
    }

    /** A masked frame with this first byte (FIN, opcode) and payload. */
    void frame(int firstByte, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(14);
        header.put((byte) firstByte);
        if (payload.length <= 125) {
            header.put((byte) (0x80 | payload.length));
        }
        else if (payload.length <= 0xFFFF) {
            header.put((byte) (0x80 | 126)).putShort((short) payload.length);
        }
        else {
            header.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        byte[] mask = { 1, 2, 3, 4 };
        header.put(mask);
        byte[] masked = payload.clone();
        for (int i = 0; i < masked.length; i++) {
            masked[i] ^= mask[i % 4];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header.array(), 0, header.position());
        out.write(masked);
        send(out.toByteArray());
    }

    /** An unmasked frame (what only a server may send) with this first byte and a short payload. */
    void unmaskedFrame(int firstByte, byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        out.write(payload.length);
        out.write(payload);
        send(out.toByteArray());
    }

    /** The next frame from the server, whatever it is. */
    Frame readFrame() throws IOException {
        DataInputStream in = new DataInputStream(this.socket.getInputStream());
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        }
        else if (length == 127) {
            length = in.readLong();
        }
        byte[] mask = new byte[4];
        boolean masked = (second & 0x80) != 0;
        if (masked) {
            in.readFully(mask);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i % 4];
        }
        return new Frame((first & 0x80) != 0, first & 0x0F, masked, payload);
    }

    record Frame(boolean fin, int opcode, boolean masked, byte[] payload) {
    }

    /** The header of a masked binary frame announcing {@code length} bytes (64-bit length), with no payload. */
    void announce(long length) throws IOException {
        send(ByteBuffer.allocate(14).put((byte) (FIN | BINARY)).put((byte) (0x80 | 127)).putLong(length)
            .put(new byte[] { 1, 2, 3, 4 }).array());
    }

    void send(byte[] bytes) throws IOException {
        this.socket.getOutputStream().write(bytes);
        this.socket.getOutputStream().flush();
    }

    /** Reads until the server closes the connection: true, or false when it stays open for the read timeout. */
    boolean closedByServer() throws IOException {
        return closedByPeer(this.socket);
    }

    /** Reads until the peer closes {@code socket}: true, or false when it stays open for its read timeout. */
    static boolean closedByPeer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) != -1) {
                // what the server still sent before closing (a response, a close frame)
            }
            return true;
        }
        catch (SocketTimeoutException ex) {
            return false;
        }
        catch (IOException reset) {
            return true;
        }
    }

    /** An HTTP head, up to and including its empty line. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            head.write(b);
            matched = (b == end[matched]) ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }
}
