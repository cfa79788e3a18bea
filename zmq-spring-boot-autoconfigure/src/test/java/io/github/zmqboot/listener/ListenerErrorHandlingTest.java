package io.github.zmqboot.listener;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.listener.ListenerTestSupport.Client;
import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;

import static io.github.zmqboot.listener.ListenerTestSupport.TIMEOUT;
import static io.github.zmqboot.listener.ListenerTestSupport.awaitCounts;
import static io.github.zmqboot.listener.ListenerTestSupport.causeChain;
import static io.github.zmqboot.listener.ListenerTestSupport.container;
import static io.github.zmqboot.listener.ListenerTestSupport.text;
import static io.github.zmqboot.listener.ListenerTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures of a {@code @ZmqListener} on a PEER socket survive: a handler exception or a conversion failure is logged
 * with the listener id and counted in {@code failed()} by default, or goes to the named
 * {@link ZmqListenerErrorHandler} bean (raw payload, headers, exception; its return value is the reply); the container
 * keeps running and one bad message never blocks the next.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class ListenerErrorHandlingTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.peers.alice.bind[0]=inproc://listener-errors", "zmq.peers.alice.linger=0",
                "zmq.peers.bob.linger=0");

    @Test
    void handlerExceptionIsLoggedWithTheListenerIdCountedAndTheContainerKeepsRunning(CapturedOutput output) {
        this.runner.withBean(DefaultHandling.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("bad 1");
            bob.send("good 1");

            assertThat(bob.receiveText()).as("no reply for the failed message").isEqualTo("ok good 1");
            ZmqListenerContainer container = container(context, "default-handling");
            awaitCounts(container, 1, 1);
            assertThat(container.isRunning()).isTrue();
            await().atMost(TIMEOUT).until(() -> output.getAll().contains("refused bad 1"));
            awaitFailureLogNaming(output, "default-handling");

            bob.send("good 2");
            assertThat(bob.receiveText()).isEqualTo("ok good 2");
            awaitCounts(container, 2, 1);
        });
    }

    @Test
    void conversionFailureWithoutErrorHandlerIsLoggedAndCounted(CapturedOutput output) {
        this.runner.withBean(DefaultOrderHandling.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("{\"item\": \"tea\", \"quantity\": ");
            bob.convertAndSend(new ListenerParametersTest.Order("tea", 2));

            assertThat(bob.receiveText()).isEqualTo("order of 2 tea");
            ZmqListenerContainer container = container(context, "default-orders");
            awaitCounts(container, 1, 1);
            assertThat(container.isRunning()).isTrue();
            awaitFailureLogNaming(output, "default-orders");
        });
    }

    @Test
    void namedErrorHandlerGetsRawPayloadHeadersAndExceptionAndItsReturnValueIsTheReply() {
        this.runner.withUserConfiguration(ErrorHandlerConfig.class).withBean(GuardedHandling.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("good 0");
            String firstReply = bob.receiveText();
            assertThat(firstReply).startsWith("ok good 0 from ");
            int bobId = Integer.parseInt(firstReply.substring("ok good 0 from ".length()));

            bob.send("bad 1");
            assertThat(bob.receiveText()).isEqualTo("error handler saw bad 1");

            Failure failure = recorder(context, "recordingErrorHandler").next();
            assertThat(failure.payload()).isInstanceOf(byte[].class);
            assertThat((byte[]) failure.payload()).isEqualTo(utf8("bad 1"));
            assertThat(failure.headers()).containsEntry(ZmqHeaders.ROUTING_ID, bobId)
                .containsEntry(ZmqHeaders.SOCKET, "alice");
            assertThat(causeChain(failure.exception())).anySatisfy((cause) -> assertThat(cause)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("refused bad 1"));
            ZmqListenerContainer container = container(context, "guarded");
            awaitCounts(container, 1, 1);
            assertThat(container.isRunning()).isTrue();
        });
    }

    @Test
    void conversionFailureGoesToTheErrorHandlerWithTheRawBytes() {
        this.runner.withUserConfiguration(ErrorHandlerConfig.class).withBean(GuardedOrders.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            byte[] malformed = utf8("{\"item\": \"tea\", \"quantity\": ");
            bob.send(malformed);
            assertThat(bob.receiveText()).isEqualTo("error handler saw " + text(malformed));

            Failure failure = recorder(context, "recordingErrorHandler").next();
            assertThat((byte[]) failure.payload()).isEqualTo(malformed);
            assertThat(failure.headers()).containsEntry(ZmqHeaders.SOCKET, "alice")
                .containsKey(ZmqHeaders.ROUTING_ID);
            assertThat(causeChain(failure.exception())).anySatisfy(
                    (cause) -> assertThat(cause).isInstanceOf(MessageConversionException.class));

            bob.convertAndSend(new ListenerParametersTest.Order("cake", 4));
            assertThat(bob.receiveText()).isEqualTo("order of 4 cake");
            awaitCounts(container(context, "guarded-orders"), 1, 1);
        });
    }

    @Test
    void errorHandlerReturningNullSendsNoReply() {
        this.runner.withUserConfiguration(ErrorHandlerConfig.class)
            .withBean(QuietlyGuardedHandling.class)
            .run(context -> {
                Client bob = Client.connect(context, "bob", "alice");
                bob.send("bad 1");
                bob.send("good 1");

                assertThat(bob.receiveText()).startsWith("ok good 1 from ");
                assertThat(text((byte[]) recorder(context, "quietErrorHandler").next().payload())).isEqualTo("bad 1");
                awaitCounts(container(context, "quietly-guarded"), 1, 1);
            });
    }

    @Test
    void failingErrorHandlerIsLoggedCountedAndTheNextMessageIsHandled(CapturedOutput output) {
        this.runner.withUserConfiguration(ErrorHandlerConfig.class).withBean(BrokenGuardHandling.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("bad 1");
            bob.send("good 1");

            assertThat(bob.receiveText()).startsWith("ok good 1 from ");
            ZmqListenerContainer container = container(context, "broken-guard");
            awaitCounts(container, 1, 1);
            assertThat(container.isRunning()).isTrue();
            await().atMost(TIMEOUT).until(() -> output.getAll().contains("error handler broke on bad 1"));
            awaitFailureLogNaming(output, "broken-guard");
        });
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(strings = { "1", "4" })
    void oneBadMessageNeverBlocksTheNext(String concurrency) {
        this.runner.withPropertyValues("test.concurrency=" + concurrency)
            .withBean(DefaultHandling.class)
            .run(context -> {
                Client bob = Client.connect(context, "bob", "alice");
                bob.send("bad 1");
                bob.send("good 1");
                bob.send("bad 2");
                bob.send("good 2");

                assertThat(bob.receiveText()).isEqualTo("ok good 1");
                assertThat(bob.receiveText()).isEqualTo("ok good 2");
                awaitCounts(container(context, "default-handling"), 2, 2);
            });
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(strings = { "1", "4" })
    void oneBadMessageNeverBlocksTheNextWithAnErrorHandlerAnsweringInOrder(String concurrency) {
        this.runner.withPropertyValues("test.concurrency=" + concurrency)
            .withUserConfiguration(ErrorHandlerConfig.class)
            .withBean(GuardedHandling.class)
            .run(context -> {
                Client bob = Client.connect(context, "bob", "alice");
                for (int i = 1; i <= 50; i++) {
                    bob.send("bad " + i);
                    bob.send("good " + i);
                }

                for (int i = 1; i <= 50; i++) {
                    assertThat(bob.receiveText()).isEqualTo("error handler saw bad " + i);
                    assertThat(bob.receiveText()).startsWith("ok good " + i + " from ");
                }
                awaitCounts(container(context, "guarded"), 50, 50);
            });
    }

    private static RecordingErrorHandler recorder(ApplicationContext context, String name) {
        return context.getBean(name, RecordingErrorHandler.class);
    }

    /** Waits for a log line at WARN or ERROR level that names the listener (other lines may name it too). */
    private static void awaitFailureLogNaming(CapturedOutput output, String listenerId) {
        await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(output.getAll().lines())
                .as("a WARN or ERROR log line naming listener '%s'", listenerId)
                .anyMatch((line) -> (line.contains("ERROR") || line.contains("WARN"))
                        && line.replace("zmq-" + listenerId + "-", "").contains(listenerId)));
    }

    /** What the error handler was given. */
    record Failure(Object payload, Map<String, Object> headers, Exception exception) {
    }

    /** Records every failure and answers with the failed message's text ("quiet" failures get no answer). */
    static class RecordingErrorHandler implements ZmqListenerErrorHandler {

        private final BlockingQueue<Failure> failures = new LinkedBlockingQueue<>();

        private final boolean answers;

        RecordingErrorHandler(boolean answers) {
            this.answers = answers;
        }

        @Override
        public Object handleError(Message<?> message, Exception exception) {
            Object payload = message.getPayload();
            this.failures.add(new Failure(payload instanceof byte[] bytes ? bytes.clone() : payload,
                    new HashMap<>(message.getHeaders()), exception));
            if (!this.answers) {
                return null;
            }
            return "error handler saw " + (payload instanceof byte[] bytes ? text(bytes) : "a " + payload.getClass());
        }

        Failure next() throws InterruptedException {
            Failure failure = this.failures.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(failure).as("a call of the error handler within %s", TIMEOUT).isNotNull();
            return failure;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ErrorHandlerConfig {

        @Bean
        RecordingErrorHandler recordingErrorHandler() {
            return new RecordingErrorHandler(true);
        }

        @Bean
        RecordingErrorHandler quietErrorHandler() {
            return new RecordingErrorHandler(false);
        }

        @Bean
        ZmqListenerErrorHandler brokenErrorHandler() {
            return (message, exception) -> {
                throw new IllegalArgumentException("error handler broke on " + text((byte[]) message.getPayload()));
            };
        }
    }

    private static String answer(String text, int sender) {
        if (text.startsWith("bad")) {
            throw new IllegalStateException("refused " + text);
        }
        return "ok " + text + " from " + sender;
    }

    static class DefaultHandling {

        @ZmqListener(id = "default-handling", peer = "alice", concurrency = "${test.concurrency:1}")
        String onMessage(String text) {
            if (text.startsWith("bad")) {
                throw new IllegalStateException("refused " + text);
            }
            return "ok " + text;
        }
    }

    static class DefaultOrderHandling {

        @ZmqListener(id = "default-orders", peer = "alice")
        String onOrder(ListenerParametersTest.Order order) {
            return "order of " + order.quantity() + " " + order.item();
        }
    }

    static class GuardedHandling {

        @ZmqListener(id = "guarded", peer = "alice", errorHandler = "recordingErrorHandler",
                concurrency = "${test.concurrency:1}")
        String onMessage(String text, @RoutingId int sender) {
            return answer(text, sender);
        }
    }

    static class GuardedOrders {

        @ZmqListener(id = "guarded-orders", peer = "alice", errorHandler = "recordingErrorHandler")
        String onOrder(ListenerParametersTest.Order order) {
            return "order of " + order.quantity() + " " + order.item();
        }
    }

    static class QuietlyGuardedHandling {

        @ZmqListener(id = "quietly-guarded", peer = "alice", errorHandler = "quietErrorHandler")
        String onMessage(String text, @RoutingId int sender) {
            return answer(text, sender);
        }
    }

    static class BrokenGuardHandling {

        @ZmqListener(id = "broken-guard", peer = "alice", errorHandler = "brokenErrorHandler")
        String onMessage(String text, @RoutingId int sender) {
            return answer(text, sender);
        }
    }
}
