package io.github.zmqboot.actuate;

import io.github.zmqboot.annotation.ZmqListener;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application of the web tests of the {@code zmq} endpoint: the auto-configuration and one listener, {@code chat}
 * on the PEER {@code alice}, that answers each text with {@code re: <text>}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ChatApplication {

    @Bean
    Chat chat() {
        return new Chat();
    }

    static class Chat {

        @ZmqListener(id = "chat", peer = "alice")
        String handle(String text) {
            return "re: " + text;
        }
    }
}
