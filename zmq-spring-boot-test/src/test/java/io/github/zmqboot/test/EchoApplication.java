package io.github.zmqboot.test;

import java.nio.charset.StandardCharsets;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.listener.ZmqListenerErrorHandler;
import org.zeromq.ZMsg;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The application under test: a PEER that echoes, a REP and a ROUTER that answer in upper case, a PULL that takes
 * raw frames and fails on "boom", and a PUB. Every endpoint is fixed (on ports nobody can bind) in the properties of
 * the tests; {@code @ZmqTest} moves them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(EchoApplication.Listeners.class)
class EchoApplication {

    record Order(String item, int quantity) {
    }

    /** Takes the listener failures the tests provoke without logging them. */
    @Bean
    ZmqListenerErrorHandler quiet() {
        return (message, exception) -> null;
    }

    static class Listeners {

        @ZmqListener(id = "echo", peer = "echo")
        public String echo(String message, @RoutingId int sender) {
            return "echo: " + message;
        }

        @ZmqListener(id = "upper", socket = "upper")
        public String upper(String message) {
            return message.toUpperCase();
        }

        @ZmqListener(id = "router", socket = "router")
        public String order(Order order) {
            return order.quantity() + " x " + order.item();
        }

        @ZmqListener(id = "sink", socket = "sink", errorHandler = "quiet")
        public void sink(ZMsg frames) {
            if (frames.peekLast().getString(StandardCharsets.UTF_8).equals("boom")) {
                throw new IllegalArgumentException("boom");
            }
        }
    }
}
