package io.github.zmqboot.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.listener.ListenerTestSupport.Calls;
import io.github.zmqboot.listener.ListenerTestSupport.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.ZFrame;
import org.zeromq.ZMsg;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;

import static io.github.zmqboot.listener.ListenerTestSupport.awaitCounts;
import static io.github.zmqboot.listener.ListenerTestSupport.container;
import static io.github.zmqboot.listener.ListenerTestSupport.text;
import static io.github.zmqboot.listener.ListenerTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every parameter kind and return value of the {@code @ZmqListener} contract on a PEER listener: {@code byte[]},
 * {@code String}, {@code ZMsg}, {@code Message<byte[]>}, {@code Message<String>}, {@code Message<ZMsg>}, a record
 * converted from JSON, {@code @RoutingId}, {@code @Header}s, {@code MessageHeaders}/{@code @Headers}, the receiving
 * {@code ZmqPeer} and combinations of them; replies of every kind, no reply for {@code void} and {@code null}; empty
 * messages. The listener's peer {@code alice} is bound; the test's peers {@code bob} and {@code carol} connect to it.
 */
class ListenerParametersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ApplicationContextRunner runner(String aliceEndpoint) {
        return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues("zmq.peers.alice.bind[0]=" + aliceEndpoint, "zmq.peers.alice.linger=0",
                    "zmq.peers.bob.linger=0", "zmq.peers.carol.linger=0");
    }

    private final ApplicationContextRunner runner = runner("inproc://listener-parameters");

    @Test
    void byteArrayParameterGetsTheRawBytesAndAByteArrayIsRepliedAsItIs() {
        this.runner.withBean(BytesHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            byte[] raw = { 0, 1, 2, (byte) 0x80, (byte) 0xFF, 'z' };
            bob.send(raw);

            assertThat(context.getBean(BytesHandler.class).calls.next()).containsExactly(raw);
            assertThat(bob.receive()).containsExactly('z', 0xFF, 0x80, 2, 1, 0);
            awaitCounts(container(context, "bytes"), 1, 0);
        });
    }

    @Test
    void stringParameterIsDecodedAsUtf8AndAStringIsRepliedAsUtf8() {
        this.runner.withBean(StringHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send(utf8("grüße ✓ 你好"));

            assertThat(context.getBean(StringHandler.class).calls.next()).containsExactly("grüße ✓ 你好");
            assertThat(bob.receive()).containsExactly(utf8("got grüße ✓ 你好"));
        });
    }

    @Test
    void emptyMessageReachesAByteArrayParameterAsEmpty() {
        this.runner.withBean(BytesHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send(new byte[0]);

            assertThat((byte[]) context.getBean(BytesHandler.class).calls.next().get(0)).isEmpty();
            assertThat(bob.receive()).isEmpty();
            awaitCounts(container(context, "bytes"), 1, 0);
        });
    }

    @Test
    void emptyMessageReachesAStringParameterAsEmpty() {
        this.runner.withBean(StringHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send(new byte[0]);

            assertThat(context.getBean(StringHandler.class).calls.next()).containsExactly("");
            assertThat(bob.receiveText()).isEqualTo("got ");
            awaitCounts(container(context, "string"), 1, 0);
        });
    }

    /**
     * {@code ZmqPayloadArgumentResolver} accepts an empty frame as a payload, but a {@code Message<String>} parameter
     * is resolved by Spring's {@code MessageMethodArgumentResolver}, which rejects an empty payload.
     */
    @Test
    void emptyMessageReachesAMessageOfStringParameterAsEmpty() {
        this.runner.withBean(MessageOfStringHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send(new byte[0]);
            bob.send("after empty");

            assertThat(context.getBean(MessageOfStringHandler.class).calls.next()).containsExactly("", "alice");
            assertThat(bob.receiveText()).isEqualTo("");
            assertThat(bob.receiveText()).isEqualTo("AFTER EMPTY");
            awaitCounts(container(context, "message-of-string"), 2, 0);
        });
    }

    @Test
    void emptyMessageReachesAMessageOfBytesParameterAsEmpty() {
        this.runner.withBean(MessageOfBytesHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send(new byte[0]);

            assertThat((byte[]) context.getBean(MessageOfBytesHandler.class).calls.next().get(0)).isEmpty();
            awaitCounts(container(context, "message-of-bytes"), 1, 0);
        });
    }

    @Test
    void messageOfWildcardParameterCarriesTheRawBytes() {
        this.runner.withBean(MessageOfAnythingHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("wildcard");

            List<Object> call = context.getBean(MessageOfAnythingHandler.class).calls.next();
            assertThat(call.get(0)).isInstanceOf(byte[].class);
            assertThat((byte[]) call.get(0)).isEqualTo(utf8("wildcard"));
            assertThat(call.get(1)).isEqualTo("alice");
        });
    }

    @Test
    void genericTypeIsConvertedFromJson() {
        this.runner.withBean(OrderListHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.convertAndSend(List.of(new Order("tea", 1), new Order("cake", 2)));

            assertThat(context.getBean(OrderListHandler.class).calls.next())
                .containsExactly(List.of(new Order("tea", 1), new Order("cake", 2)));
            assertThat(bob.receiveText()).isEqualTo("3 items");
        });
    }

    @Test
    void zmsgParameterGetsThePayloadFrameAndAZmsgIsRepliedAsItsFrames() {
        this.runner.withBean(ZMsgHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("frame");

            assertThat(context.getBean(ZMsgHandler.class).calls.next()).containsExactly(List.of("frame"));
            assertThat(bob.receiveText()).isEqualTo("zmsg of 1: frame");
        });
    }

    @Test
    void messageOfBytesParameterCarriesThePayloadAndTheContainersHeaders() {
        this.runner.withBean(MessageOfBytesHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send(utf8("as message"));

            List<Object> call = context.getBean(MessageOfBytesHandler.class).calls.next();
            assertThat((byte[]) call.get(0)).isEqualTo(utf8("as message"));
            @SuppressWarnings("unchecked")
            Map<String, Object> headers = (Map<String, Object>) call.get(1);
            assertThat(headers).containsEntry(ZmqHeaders.SOCKET, "alice");
            assertThat(headers.get(ZmqHeaders.ROUTING_ID)).isInstanceOf(Integer.class).isNotEqualTo(0);
            assertThat(bob.receiveText()).isEqualTo("routing id " + headers.get(ZmqHeaders.ROUTING_ID));
        });
    }

    @Test
    void messageOfStringParameterIsDecodedAsUtf8() {
        this.runner.withBean(MessageOfStringHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send(utf8("größer"));

            assertThat(context.getBean(MessageOfStringHandler.class).calls.next()).containsExactly("größer", "alice");
            assertThat(bob.receiveText()).isEqualTo("GRÖSSER");
        });
    }

    @Test
    void messageOfZmsgParameterCarriesThePayloadFramesAndTheHeaders() {
        this.runner.withBean(MessageOfZMsgHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("in a zmsg");

            List<Object> call = context.getBean(MessageOfZMsgHandler.class).calls.next();
            assertThat(call.get(0)).isEqualTo(List.of("in a zmsg"));
            assertThat(call.get(1)).isEqualTo("alice");
            assertThat(call.get(2)).isInstanceOf(Integer.class).isNotEqualTo(0);
        });
    }

    @Test
    void recordParameterIsConvertedFromJsonAndARecordIsRepliedAsJson() {
        this.runner.withBean(OrderHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.convertAndSend(new Order("tea", 3));

            assertThat(context.getBean(OrderHandler.class).calls.next()).containsExactly(new Order("tea", 3));
            byte[] reply = bob.receive();
            assertThat(text(reply)).startsWith("{").contains("\"item\":\"tea\"").contains("\"total\":30");
            assertThat(JSON.readValue(reply, Receipt.class)).isEqualTo(new Receipt("tea", 30));
        });
    }

    @Test
    void recordParameterIsConvertedFromJsonWrittenByHand() {
        this.runner.withBean(OrderHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("{\"quantity\": 7, \"item\": \"coffee\"}");

            assertThat(context.getBean(OrderHandler.class).calls.next()).containsExactly(new Order("coffee", 7));
            assertThat(JSON.readValue(bob.receive(), Receipt.class)).isEqualTo(new Receipt("coffee", 70));
        });
    }

    @Test
    void routingIdAndTheReceivingPeerLetTheHandlerAnswerItself() {
        this.runner.withBean(SelfReplyingHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("ping");

            List<Object> call = context.getBean(SelfReplyingHandler.class).calls.next();
            assertThat((int) call.get(0)).isNotZero();
            assertThat(call.get(1)).isSameAs(context.getBean("alice", ZmqPeer.class));
            assertThat(bob.receiveText()).isEqualTo("self reply to ping");
            awaitCounts(container(context, "self-replying"), 1, 0);
        });
    }

    @Test
    void routingIdIdentifiesEachSendersConnectionAndRepliesGoToTheirSender() {
        this.runner.withBean(HeadersHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            Client carol = Client.connect(context, "carol", "alice");
            bob.send("from bob");
            String bobSeenAs = bob.receiveText();
            carol.send("from carol");
            String carolSeenAs = carol.receiveText();

            assertThat(bobSeenAs).startsWith("from bob as ");
            assertThat(carolSeenAs).startsWith("from carol as ");
            assertThat(bobSeenAs.substring("from bob as ".length()))
                .isNotEqualTo(carolSeenAs.substring("from carol as ".length()));
        });
    }

    @Test
    void headerParametersRoutingIdHeadersAndHeadersMapAgreeWithEachOther() {
        this.runner.withBean(HeadersHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("headers");

            List<Object> call = context.getBean(HeadersHandler.class).calls.next();
            int routingId = (int) call.get(0);
            assertThat(routingId).isNotZero();
            assertThat(call.get(1)).as("@Header(ROUTING_ID) Integer").isEqualTo(routingId);
            assertThat(call.get(2)).as("@Header(SOCKET) String").isEqualTo("alice");
            MessageHeaders headers = (MessageHeaders) call.get(3);
            assertThat(headers.get(ZmqHeaders.ROUTING_ID)).isEqualTo(routingId);
            assertThat(headers.get(ZmqHeaders.SOCKET)).isEqualTo("alice");
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) call.get(4);
            assertThat(map).containsEntry(ZmqHeaders.ROUTING_ID, routingId).containsEntry(ZmqHeaders.SOCKET, "alice");
            assertThat(map).doesNotContainKeys(ZmqHeaders.IDENTITY, ZmqHeaders.TOPIC);
            assertThat(call.get(5)).isEqualTo("headers");
            assertThat(bob.receiveText()).isEqualTo("headers as " + routingId);
        });
    }

    @Test
    void everyKindOfParameterAtOnce() {
        this.runner.withBean(EverythingHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("all of it");

            List<Object> call = context.getBean(EverythingHandler.class).calls.next();
            assertThat(call.get(0)).as("ZmqPeer").isSameAs(context.getBean("alice", ZmqPeer.class));
            assertThat(call.get(1)).as("ZMsg frames").isEqualTo(List.of("all of it"));
            int routingId = (int) call.get(2);
            assertThat(routingId).isNotZero();
            assertThat((byte[]) call.get(3)).as("Message<byte[]> payload").isEqualTo(utf8("all of it"));
            assertThat(call.get(4)).as("String payload").isEqualTo("all of it");
            assertThat(call.get(5)).as("@Header(SOCKET)").isEqualTo("alice");
            assertThat(call.get(6)).as("@Header(ROUTING_ID) int").isEqualTo(routingId);
            assertThat(JSON.readValue(bob.receive(), Receipt.class)).isEqualTo(new Receipt("all of it", routingId));
        });
    }

    @Test
    void nullReturnValueSendsNoReply() {
        this.runner.withBean(SometimesSilentHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("silent");
            bob.send("spoken");

            // a reply to the first message would arrive before the reply to the second one
            assertThat(bob.receiveText()).isEqualTo("answer to spoken");
            awaitCounts(container(context, "sometimes-silent"), 2, 0);
        });
    }

    @Test
    void voidHandlerSendsNoReply() {
        this.runner.withBean(VoidHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("1");
            bob.send("2");

            // the handler itself sends a marker; a reply by the container would come between the two markers
            assertThat(bob.receiveText()).isEqualTo("marker 1");
            assertThat(bob.receiveText()).isEqualTo("marker 2");
            awaitCounts(container(context, "void"), 2, 0);
            assertThat(bob.peer().receive(Duration.ofMillis(300))).as("no reply after the last marker").isNull();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "tcp://127.0.0.1:0", "ipc://*", "inproc://listener-parameters-transport" })
    void stringAndRoutingIdOverEveryTransport(String endpoint) {
        runner(endpoint).withBean(HeadersHandler.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            for (int i = 0; i < 3; i++) {
                bob.send("message " + i);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(bob.receiveText()).startsWith("message " + i + " as ");
            }
            awaitCounts(container(context, "headers"), 3, 0);
        });
    }

    /** An order as the client sends it, converted from JSON. */
    record Order(String item, int quantity) {
    }

    /** A reply that travels as JSON. */
    record Receipt(String item, int total) {
    }

    private static List<String> frames(ZMsg msg) {
        List<String> frames = new ArrayList<>();
        for (ZFrame frame : msg) {
            frames.add(frame.getString(StandardCharsets.UTF_8));
        }
        return frames;
    }

    static class BytesHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "bytes", peer = "alice")
        byte[] onMessage(byte[] payload) {
            this.calls.record((Object) payload.clone());
            byte[] reversed = new byte[payload.length];
            for (int i = 0; i < payload.length; i++) {
                reversed[i] = payload[payload.length - 1 - i];
            }
            return reversed;
        }
    }

    static class StringHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "string", peer = "alice")
        String onMessage(String text) {
            this.calls.record(text);
            return "got " + text;
        }
    }

    static class ZMsgHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "zmsg", peer = "alice")
        ZMsg onMessage(ZMsg message) {
            List<String> frames = frames(message);
            this.calls.record(frames);
            ZMsg reply = new ZMsg();
            reply.add("zmsg of " + frames.size() + ": " + String.join("|", frames));
            return reply;
        }
    }

    static class MessageOfBytesHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "message-of-bytes", peer = "alice")
        String onMessage(Message<byte[]> message) {
            this.calls.record(message.getPayload().clone(), Map.copyOf(message.getHeaders()));
            return "routing id " + message.getHeaders().get(ZmqHeaders.ROUTING_ID);
        }
    }

    static class MessageOfStringHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "message-of-string", peer = "alice")
        String onMessage(Message<String> message) {
            this.calls.record(message.getPayload(), message.getHeaders().get(ZmqHeaders.SOCKET));
            return message.getPayload().toUpperCase(Locale.ROOT);
        }
    }

    static class MessageOfAnythingHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "message-of-anything", peer = "alice")
        void onMessage(Message<?> message) {
            Object payload = message.getPayload();
            this.calls.record(payload instanceof byte[] bytes ? bytes.clone() : payload,
                    message.getHeaders().get(ZmqHeaders.SOCKET));
        }
    }

    static class OrderListHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "order-list", peer = "alice")
        String onMessage(List<Order> orders) {
            this.calls.record(List.copyOf(orders));
            return orders.stream().mapToInt(Order::quantity).sum() + " items";
        }
    }

    static class MessageOfZMsgHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "message-of-zmsg", peer = "alice")
        void onMessage(Message<ZMsg> message) {
            this.calls.record(frames(message.getPayload()), message.getHeaders().get(ZmqHeaders.SOCKET),
                    message.getHeaders().get(ZmqHeaders.ROUTING_ID));
        }
    }

    static class OrderHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "order", peer = "alice")
        Receipt onMessage(Order order) {
            this.calls.record(order);
            return new Receipt(order.item(), order.quantity() * 10);
        }
    }

    static class SelfReplyingHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "self-replying", peer = "alice")
        void onMessage(String text, @RoutingId int sender, ZmqPeer socket) {
            this.calls.record(sender, socket);
            socket.send(sender, "self reply to " + text);
        }
    }

    static class HeadersHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "headers", peer = "alice")
        String onMessage(@RoutingId int routingId, @Header(ZmqHeaders.ROUTING_ID) Integer routingIdHeader,
                @Header(ZmqHeaders.SOCKET) String socket, MessageHeaders headers, @Headers Map<String, Object> map,
                String text) {
            this.calls.record(routingId, routingIdHeader, socket, headers, Map.copyOf(map), text);
            return text + " as " + routingId;
        }
    }

    static class EverythingHandler {

        final Calls calls = new Calls();

        @ZmqListener(id = "everything", peer = "alice")
        Receipt onMessage(ZmqPeer peer, ZMsg frames, @RoutingId int routingId, Message<byte[]> message, String text,
                @Header(ZmqHeaders.SOCKET) String socket, @Header(name = ZmqHeaders.ROUTING_ID) int routingIdHeader) {
            this.calls.record(peer, frames(frames), routingId, message.getPayload().clone(), text, socket,
                    routingIdHeader);
            return new Receipt(text, routingId);
        }
    }

    static class SometimesSilentHandler {

        @ZmqListener(id = "sometimes-silent", peer = "alice")
        String onMessage(String text) {
            return text.equals("silent") ? null : "answer to " + text;
        }
    }

    static class VoidHandler {

        @ZmqListener(id = "void", peer = "alice")
        void onMessage(String text, @RoutingId int sender, ZmqPeer peer) {
            peer.send(sender, "marker " + text);
        }
    }
}
