package io.github.zmqboot.test;

import io.github.zmqboot.annotation.ZmqListener;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's example test, word for word, on the README's {@code AliceChat} and configuration. */
@SpringBootTest(classes = ReadmeExampleTest.App.class, properties = "zmq.peers.alice.bind=tcp://127.0.0.1:5555")
@ZmqTest(ephemeral = "alice")
class ReadmeExampleTest {

    @Test
    void aliceAnswersWhoeverWritesToHer(ZmqTestClient client, ZmqListenerHarness harness) {
        TestPeer peer = client.connectPeer("alice");

        assertThat(peer.send("hello").expectString()).isEqualTo("alice heard 'hello'");

        ListenerInvocation call = harness.await("aliceChat.answer", 1).get(0);
        assertThat(call.<String>argument(0)).isEqualTo("hello");
        assertThat(call.result()).isEqualTo("alice heard 'hello'");
        // and alice did not take port 5555
        assertThat(client.endpoint("alice")).isNotEqualTo("tcp://127.0.0.1:5555");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        AliceChat aliceChat() {
            return new AliceChat();
        }
    }

    static class AliceChat {

        @ZmqListener(peer = "alice")
        String answer(String message) {
            return "alice heard '" + message + "'";
        }
    }
}
