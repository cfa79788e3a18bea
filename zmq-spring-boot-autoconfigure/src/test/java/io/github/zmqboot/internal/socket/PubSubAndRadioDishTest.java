package io.github.zmqboot.internal.socket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZFrame;
import org.zeromq.ZMsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** SUB subscriptions and DISH groups filter what arrives; a SUB without subscription receives nothing. */
class PubSubAndRadioDishTest {

    private final TestSockets sockets = new TestSockets();

    @AfterEach
    void close() {
        this.sockets.close();
    }

    @Test
    void subWithASubscriptionReceivesOnlyItsTopicAndSubWithoutReceivesNothing() {
        ZmqSocket pub = this.sockets.bound("prices", SocketType.PUB);
        ZmqSocket subscribed = this.sockets.create("acme", SocketType.SUB);
        subscribed.subscribe("acme.");
        subscribed.connect(pub.boundEndpoints().get(0));
        ZmqSocket unsubscribed = this.sockets.create("deaf", SocketType.SUB);
        unsubscribed.connect(pub.boundEndpoints().get(0));

        // PUB drops messages until a subscription reached it: publish until the subscriber got one
        ZMsg first = null;
        long giveUp = System.nanoTime() + TestSockets.PATIENCE.toNanos();
        while (first == null && System.nanoTime() < giveUp) {
            pub.send(topicAndPayload("other.", "ignored"));
            pub.send(topicAndPayload("acme.", "warm-up"));
            first = subscribed.receive(Duration.ofMillis(100));
        }
        assertThat(first).as("a subscribed message within %s", TestSockets.PATIENCE).isNotNull();
        assertThat(first.popString()).isEqualTo("acme.");

        pub.send(topicAndPayload("other.", "not for acme"));
        pub.send(topicAndPayload("acme.", "last"));
        ZMsg message;
        while ((message = subscribed.receive(Duration.ofSeconds(5))) != null) {
            assertThat(message.popString()).isEqualTo("acme.");
            if ("last".equals(message.popString())) {
                break;
            }
        }
        assertThat(message).as("the last acme message arrived").isNotNull();
        assertThat(unsubscribed.receive(Duration.ofMillis(300))).isNull();

        subscribed.unsubscribe("acme.");
        assertThatExceptionOfType(ZmqException.class).isThrownBy(() -> pub.subscribe("acme."))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.EINVAL));
    }

    @Test
    void dishReceivesOnlyTheGroupsItJoined() {
        ZmqSocket dish = this.sockets.bound("dish", SocketType.DISH);
        dish.join("weather");
        ZmqSocket radio = this.sockets.create("radio", SocketType.RADIO);
        radio.connect(dish.boundEndpoints().get(0));

        ZMsg received = null;
        long giveUp = System.nanoTime() + TestSockets.PATIENCE.toNanos();
        while (received == null && System.nanoTime() < giveUp) {
            radio.send(topicAndPayload("sports", "goal"));
            ZFrame grouped = new ZFrame("sunny");
            grouped.setGroup("weather");
            ZMsg message = new ZMsg();
            message.add(grouped);
            radio.send(message);
            received = dish.receive(Duration.ofMillis(100));
        }
        assertThat(received).as("a message of the joined group within %s", TestSockets.PATIENCE).isNotNull();
        ZFrame frame = received.pop();
        assertThat(frame.getGroup()).isEqualTo("weather");
        assertThat(new String(frame.getData(), StandardCharsets.UTF_8)).isEqualTo("sunny");
        ZMsg next;
        while ((next = dish.receive(Duration.ofMillis(300))) != null) {
            assertThat(next.peekFirst().getGroup()).isEqualTo("weather");
        }

        assertThatExceptionOfType(ZmqException.class).isThrownBy(() -> radio.join("weather"))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.ENOTSUP));
    }

    private static ZMsg topicAndPayload(String topic, String payload) {
        ZMsg message = new ZMsg();
        message.add(topic);
        message.add(payload);
        return message;
    }
}
