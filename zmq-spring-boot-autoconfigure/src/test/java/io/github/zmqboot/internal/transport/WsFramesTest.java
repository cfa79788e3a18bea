package io.github.zmqboot.internal.transport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.junit.jupiter.api.Test;
import zmq.Msg;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ZWS data codec on its own: frames survive every way the bytes can be split into reads, both directions (client
 * frames masked, server frames not), interoperate with Netty's RFC 6455 codec as an independent reference, and
 * everything RFC 6455 or ZWS forbids is refused from its header, before any payload.
 */
class WsFramesTest {

    private static final int[] SIZES = { 0, 1, 7, 8, 9, 124, 125, 126, 127, 1000, 65534, 65535, 65536, 200_000 };

    @Test
    void framesOfEverySizeTravelFromClientToServerAndBack() {
        for (boolean fromClient : new boolean[] { true, false }) {
            List<Msg> sent = messages();
            byte[] wire = encode(new WsFrames(!fromClient, -1), sent);
            Collected received = new Collected();
            WsFrames decoder = new WsFrames(fromClient, -1);
            // uneven reads, from a byte at a time to many frames at once
            Random random = new Random(6455);
            for (int at = 0; at < wire.length;) {
                int n = Math.min(wire.length - at, 1 + random.nextInt(random.nextBoolean() ? 20 : 70_000));
                decoder.decode(ByteBuffer.wrap(wire, at, n), received);
                at += n;
            }
            assertThat(decoder.refusal()).isNull();
            assertSame(received.frames, sent);
        }
    }

    @Test
    void aFrameSplitAtEveryPossiblePointDecodes() {
        List<Msg> sent = List.of(message(3, Msg.MORE), message(130, 0), message(0, Msg.COMMAND));
        byte[] wire = encode(new WsFrames(false, -1), sent);
        for (int first = 0; first <= wire.length; first++) {
            for (int second = first; second <= wire.length; second++) {
                WsFrames decoder = new WsFrames(true, -1);
                Collected received = new Collected();
                decoder.decode(ByteBuffer.wrap(wire, 0, first), received);
                decoder.decode(ByteBuffer.wrap(wire, first, second - first), received);
                decoder.decode(ByteBuffer.wrap(wire, second, wire.length - second), received);
                assertThat(decoder.refusal()).isNull();
                assertSame(received.frames, sent);
            }
        }
    }

    @Test
    void clientFramesAreMaskedAndServerFramesAreNot() {
        Msg msg = message(40, 0);
        byte[] fromClient = encode(new WsFrames(false, -1), List.of(msg));
        byte[] fromServer = encode(new WsFrames(true, -1), List.of(msg));
        assertThat(fromClient[0] & 0xFF).as("FIN, binary").isEqualTo(0x82);
        assertThat(fromClient[1] & 0x80).as("mask bit of a client frame").isEqualTo(0x80);
        assertThat(fromClient).hasSize(2 + 4 + 1 + 40);
        assertThat(fromServer[0] & 0xFF).isEqualTo(0x82);
        assertThat(fromServer[1] & 0xFF).as("no mask bit, length 41").isEqualTo(41);
        assertThat(Arrays.copyOfRange(fromServer, 3, 43)).as("the server's payload in clear").isEqualTo(msg.data());
        // each client frame has a mask key of its own
        byte[] again = encode(new WsFrames(false, -1), List.of(msg));
        assertThat(Arrays.copyOfRange(again, 2, 6)).isNotEqualTo(Arrays.copyOfRange(fromClient, 2, 6));
        assertThat(Arrays.copyOfRange(again, 6, again.length)).isNotEqualTo(Arrays.copyOfRange(fromClient, 6,
                fromClient.length));
    }

    @Test
    void netty08CodecReadsTheClientsFramesAndWritesFramesTheServerReads() {
        List<Msg> sent = messages();
        // our client's frames into Netty's server-side decoder (which requires masked frames)
        EmbeddedChannel nettyServer = new EmbeddedChannel(new WebSocket08FrameDecoder(
                WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true).maxFramePayloadLength(1 << 20).build()));
        nettyServer.writeInbound(Unpooled.wrappedBuffer(encode(new WsFrames(false, -1), sent)));
        List<Msg> decodedByNetty = new ArrayList<>();
        BinaryWebSocketFrame frame;
        while ((frame = nettyServer.readInbound()) != null) {
            decodedByNetty.add(fromZwsPayload(frame.content()));
            frame.release();
        }
        assertSame(decodedByNetty, sent);
        nettyServer.finishAndReleaseAll();

        // Netty's client-side (masking) encoder into our server decoder
        EmbeddedChannel nettyClient = new EmbeddedChannel(new WebSocket08FrameEncoder(true));
        for (Msg msg : sent) {
            nettyClient.writeOutbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(zwsPayload(msg))));
        }
        WsFrames server = new WsFrames(true, -1);
        Collected received = new Collected();
        ByteBuf out;
        while ((out = nettyClient.readOutbound()) != null) {
            server.decode(out.nioBuffer(), received);
            out.release();
        }
        assertThat(server.refusal()).isNull();
        assertSame(received.frames, sent);
        nettyClient.finishAndReleaseAll();
    }

    @Test
    void pingPongAndCloseFramesReachTheReceiverWithTheirPayload() {
        WsFrames client = new WsFrames(false, -1);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (ByteBuffer control : List.of(client.encodeControl(WsFrames.OPCODE_PING, new byte[] { 'h', 'i' }),
                client.encodeControl(WsFrames.OPCODE_PONG, new byte[0]), client.encodeClose(1001))) {
            wire.write(control.array(), 0, control.limit());
        }
        Collected received = new Collected();
        WsFrames server = new WsFrames(true, -1);
        server.decode(ByteBuffer.wrap(wire.toByteArray()), received);
        assertThat(server.refusal()).isNull();
        assertThat(received.controls).containsExactly("9:hi", "10:", "8:" + (char) 0x03 + (char) 0xE9);
    }

    @Test
    void whatRfc6455AndZwsForbidIsRefusedFromTheHeaderAlone() {
        // header bytes only: each refusal needs no payload
        assertRefused(true, "text frame", WsFrames.STATUS_UNSUPPORTED_DATA, 0x81, 0x85, 1, 2, 3, 4);
        assertRefused(true, "fragmented frame (FIN clear)", WsFrames.STATUS_PROTOCOL_ERROR, 0x02, 0x85, 1, 2, 3, 4);
        assertRefused(true, "continuation", WsFrames.STATUS_PROTOCOL_ERROR, 0x80, 0x85, 1, 2, 3, 4);
        assertRefused(true, "fragmented control frame", WsFrames.STATUS_PROTOCOL_ERROR, 0x09, 0x80, 1, 2, 3, 4);
        assertRefused(true, "reserved bits", WsFrames.STATUS_PROTOCOL_ERROR, 0xC2, 0x85, 1, 2, 3, 4);
        assertRefused(true, "reserved bits", WsFrames.STATUS_PROTOCOL_ERROR, 0x7F, 0x85);
        assertRefused(true, "unknown opcode 0x3", WsFrames.STATUS_PROTOCOL_ERROR, 0x83, 0x85, 1, 2, 3, 4);
        assertRefused(true, "unmasked frame from a client", WsFrames.STATUS_PROTOCOL_ERROR, 0x82, 0x05);
        assertRefused(false, "masked frame from the server", WsFrames.STATUS_PROTOCOL_ERROR, 0x82, 0x85, 1, 2, 3, 4);
        assertRefused(true, "not minimally encoded", WsFrames.STATUS_PROTOCOL_ERROR, 0x82, 0xFE, 0, 125, 1, 2, 3, 4);
        assertRefused(true, "not minimally encoded", WsFrames.STATUS_PROTOCOL_ERROR, 0x82, 0xFF, 0, 0, 0, 0, 0, 0,
                0xFF, 0xFF, 1, 2, 3, 4);
        assertRefused(true, "over 2^63", WsFrames.STATUS_PROTOCOL_ERROR, 0x82, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 1, 2, 3, 4);
        assertRefused(true, "control frame over 125", WsFrames.STATUS_PROTOCOL_ERROR, 0x89, 0xFE, 0, 126, 1, 2, 3,
                4);
        assertRefused(true, "without its flags byte", WsFrames.STATUS_PROTOCOL_ERROR, 0x82, 0x80, 1, 2, 3, 4);
    }

    @Test
    void maxMessageSizeBoundsTheMessageNotCountingTheFlagsByte() {
        WsFrames client = new WsFrames(false, -1);
        WsFrames server = new WsFrames(true, 1000);
        Collected received = new Collected();
        server.decode(ByteBuffer.wrap(encode(client, List.of(message(1000, 0)))), received);
        assertThat(server.refusal()).isNull();
        assertThat(received.frames).hasSize(1);

        byte[] over = encode(client, List.of(message(1001, 0)));
        server.decode(ByteBuffer.wrap(over, 0, 8), received); // the header alone
        assertThat(server.refusal()).contains("1001 bytes, over max-message-size (1000)");
        assertThat(server.refusalStatus()).isEqualTo(WsFrames.STATUS_TOO_BIG);
        assertThat(server.oversized()).isTrue();
        assertThat(received.frames).hasSize(1);
    }

    @Test
    void aReceiverThatPausesGetsTheNextFrameFromTheNextCallOnTheSameBuffer() {
        List<Msg> sent = List.of(message(5, 0), message(300, Msg.MORE), message(0, 0));
        ByteBuffer wire = ByteBuffer.wrap(encode(new WsFrames(false, -1), sent));
        WsFrames server = new WsFrames(true, -1);
        List<Msg> frames = new ArrayList<>();
        WsFrames.Receiver pausesAfterEach = new WsFrames.Receiver() {
            @Override
            public boolean frame(Msg msg) {
                frames.add(msg);
                return false;
            }

            @Override
            public boolean control(int opcode, byte[] payload) {
                return false;
            }
        };
        for (int call = 1; call <= sent.size(); call++) {
            server.decode(wire, pausesAfterEach);
            assertThat(frames).as("frames after call %d", call).hasSize(call);
        }
        assertThat(wire.hasRemaining()).isFalse();
        assertSame(frames, sent);
    }

    private static void assertRefused(boolean server, String reason, int status, int... header) {
        byte[] bytes = new byte[header.length];
        for (int i = 0; i < header.length; i++) {
            bytes[i] = (byte) header[i];
        }
        WsFrames decoder = new WsFrames(server, -1);
        Collected received = new Collected();
        decoder.decode(ByteBuffer.wrap(bytes), received);
        assertThat(decoder.refusal()).as("refusal of %s", reason).contains(reason);
        assertThat(decoder.refusalStatus()).as("close status for %s", reason).isEqualTo(status);
        assertThat(decoder.oversized()).isFalse();
        assertThat(received.frames).isEmpty();
        assertThat(received.controls).isEmpty();
    }

    private static List<Msg> messages() {
        int[] flags = { Msg.MORE, Msg.COMMAND, 0, Msg.MORE | Msg.COMMAND };
        List<Msg> messages = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            messages.add(message(SIZES[i], flags[i % flags.length]));
        }
        return messages;
    }

    private static Msg message(int size, int flags) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Msg msg = new Msg(data);
        msg.setFlags(flags);
        return msg;
    }

    private static byte[] encode(WsFrames encoder, List<Msg> messages) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (Msg msg : messages) {
            ByteBuffer out = ByteBuffer.allocate(encoder.frameSize(msg.size()) + 3);
            out.position(3); // not at the array's start
            encoder.encode(msg, out);
            assertThat(out.remaining()).as("frameSize is exact").isZero();
            wire.write(out.array(), 3, out.position() - 3);
        }
        return wire.toByteArray();
    }

    private static byte[] zwsPayload(Msg msg) {
        byte[] payload = new byte[msg.size() + 1];
        payload[0] = (byte) ((msg.hasMore() ? 1 : 0) | (msg.isCommand() ? 2 : 0));
        System.arraycopy(msg.data(), 0, payload, 1, msg.size());
        return payload;
    }

    private static Msg fromZwsPayload(ByteBuf content) {
        int flags = content.readByte();
        byte[] data = new byte[content.readableBytes()];
        content.readBytes(data);
        Msg msg = new Msg(data);
        msg.setFlags(((flags & 1) != 0 ? Msg.MORE : 0) | ((flags & 2) != 0 ? Msg.COMMAND : 0));
        return msg;
    }

    private static void assertSame(List<Msg> received, List<Msg> sent) {
        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i).data()).as("frame %d", i).isEqualTo(sent.get(i).data());
            assertThat(received.get(i).hasMore()).as("more of frame %d", i).isEqualTo(sent.get(i).hasMore());
            assertThat(received.get(i).isCommand()).as("command of frame %d", i).isEqualTo(sent.get(i).isCommand());
        }
    }

    private static final class Collected implements WsFrames.Receiver {

        final List<Msg> frames = new ArrayList<>();

        final List<String> controls = new ArrayList<>();

        @Override
        public boolean frame(Msg msg) {
            this.frames.add(msg);
            return true;
        }

        @Override
        public boolean control(int opcode, byte[] payload) {
            this.controls.add(opcode + ":" + new String(payload, StandardCharsets.ISO_8859_1));
            return true;
        }
    }
}
