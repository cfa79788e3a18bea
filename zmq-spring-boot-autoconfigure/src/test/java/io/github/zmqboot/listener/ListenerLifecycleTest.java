package io.github.zmqboot.listener;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.internal.context.ZmqContextManager;
import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.listener.ListenerTestSupport.Client;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import static io.github.zmqboot.listener.ListenerTestSupport.LONG_TIMEOUT;
import static io.github.zmqboot.listener.ListenerTestSupport.TIMEOUT;
import static io.github.zmqboot.listener.ListenerTestSupport.awaitCounts;
import static io.github.zmqboot.listener.ListenerTestSupport.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The life of a {@code @ZmqListener} container on a PEER socket: start and stop by id (messages queue in the socket
 * while stopped and none is lost), {@code autoStartup="false"}, {@code ${…}} placeholders and {@code #{…}} SpEL in
 * every attribute, the default id {@code <beanName>.<methodName>}, listeners on proxied beans and through a
 * meta-annotation, and the order against the sockets: containers start after their socket is bound and stop (finishing
 * the message in hand) before it closes.
 */
class ListenerLifecycleTest {

    /** How long "nothing happens while stopped" is watched. */
    private static final Duration QUIET = Duration.ofMillis(300);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.peers.alice.bind[0]=inproc://listener-lifecycle-alice", "zmq.peers.alice.linger=0",
                "zmq.peers.carol.bind[0]=inproc://listener-lifecycle-carol", "zmq.peers.carol.linger=0",
                "zmq.peers.bob.linger=0");

    @Test
    void aContainerWhoseSocketClosedUnderItStopsCleanly() {
        this.runner.withBean(Switchable.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            ZmqListenerContainer container = container(context, "switchable");
            bob.send("before");
            assertThat(bob.receiveText()).isEqualTo("handled before");

            context.getBean(ZmqContextManager.class).close(); // closes alice under the running container
            await().atMost(TIMEOUT).until(container::isDead);
            container.stop(); // the reading thread's wait is not cancelled on a socket that is gone
            assertThat(container.isRunning()).isFalse();
            assertThat(container.isDead()).isFalse();
        });
    }

    @Test
    void stopAndStartByIdQueueMessagesInTheSocketWhileStoppedAndLoseNone() {
        this.runner.withBean(Switchable.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            ZmqListenerContainer container = container(context, "switchable");
            assertThat(container.isRunning()).isTrue();
            bob.send("before");
            assertThat(bob.receiveText()).isEqualTo("handled before");
            awaitCounts(container, 1, 0);

            for (int round = 1; round <= 2; round++) {
                container.stop();
                assertThat(container.isRunning()).isFalse();
                // the listener keeps owning its socket while stopped
                ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
                assertThatIllegalStateException().isThrownBy(() -> alice.receive(Duration.ZERO));
                long receivedBefore = container.received();
                for (int i = 0; i < 20; i++) {
                    bob.send("queued " + round + "." + i);
                }
                await().during(QUIET).atMost(QUIET.multipliedBy(4))
                    .until(() -> container.received() == receivedBefore && !container.isRunning());

                container.start();
                assertThat(container.isRunning()).isTrue();
                for (int i = 0; i < 20; i++) {
                    assertThat(bob.receiveText()).isEqualTo("handled queued " + round + "." + i);
                }
                awaitCounts(container, 1 + 20L * round, 0);
            }
            assertThat(container.received()).isEqualTo(41);
        });
    }

    @ParameterizedTest(name = "concurrency {0}")
    @ValueSource(strings = { "1", "4" })
    void stopAndStartUnderAStreamLoseNoMessageAndKeepTheOrder(String concurrency) {
        this.runner.withPropertyValues("test.concurrency=" + concurrency).withBean(Sequence.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            ZmqListenerContainer container = container(context, "sequence");
            int total = 20_000;
            FutureTask<Void> sending = new FutureTask<>(() -> {
                for (int i = 0; i < total; i++) {
                    bob.send(Integer.toString(i));
                }
                return null;
            });
            Thread sender = new Thread(sending, "sequence-sender");
            sender.setDaemon(true);
            sender.start();

            for (int round = 1; round <= 5; round++) {
                long target = round * 2_000L;
                await().atMost(LONG_TIMEOUT).until(() -> container.handled() >= target);
                container.stop();
                assertThat(container.handled() + container.failed()).as("every message taken off is finished")
                    .isEqualTo(container.received());
                container.start();
            }
            sending.get(LONG_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            awaitCounts(container, total, 0);
            assertThat(container.received()).isEqualTo(total);
            assertThat(context.getBean(Sequence.class).handled())
                .containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
        });
    }

    @Test
    void aHandlerStoppingItsOwnContainerFinishesTheMessageInHandBeforeARestartReadsAgain() {
        this.runner.withBean(SelfStopping.class).run(context -> {
            SelfStopping handler = context.getBean(SelfStopping.class);
            ZmqListenerContainer container = container(context, "selfStopping");
            handler.container = container;
            Client bob = Client.connect(context, "bob", "alice");
            int total = 200; // queued before the start: the reading thread finds more behind the one in hand
            for (int i = 0; i < total; i++) {
                bob.send(Integer.toString(i));
            }
            container.start();
            assertThat(handler.stopped.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(container.received()).as("taken when message 5 stopped reading: nothing behind it")
                .isEqualTo(6);

            handler.restarting.countDown(); // the handler now watches for a second reading thread while it runs
            container.start();

            await().atMost(LONG_TIMEOUT).untilAsserted(() -> assertThat(handler.handled()).hasSize(total));
            assertThat(handler.overlapping.getCount()).as("calls overlapping the stopping handler's").isEqualTo(1);
            assertThat(handler.handled()).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
            awaitCounts(container, total, 0);
            assertThat(container.received()).isEqualTo(total);
        });
    }

    @Test
    void aHandlerCannotRestartItsOwnContainerOnTheReadingThreadButAnotherThreadCan() {
        this.runner.withBean(SelfRestarting.class).run(context -> {
            SelfRestarting handler = context.getBean(SelfRestarting.class);
            ZmqListenerContainer container = container(context, "selfRestarting");
            handler.container = container;
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("restart");
            await().atMost(TIMEOUT).until(() -> handler.refused.get() != null);
            assertThat(handler.refused.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot start reading on the reading thread it just stopped");
            assertThat(container.isRunning()).isFalse();

            container.start();
            bob.send("after");
            assertThat(bob.receiveText()).isEqualTo("handled after");
            awaitCounts(container, 2, 0);
        });
    }

    @Test
    void startAndStopAreIdempotent() {
        this.runner.withBean(Switchable.class).run(context -> {
            Client bob = Client.connect(context, "bob", "alice");
            ZmqListenerContainer container = container(context, "switchable");
            container.start();
            container.stop();
            container.stop();
            assertThat(container.isRunning()).isFalse();
            container.start();
            container.start();
            assertThat(container.isRunning()).isTrue();
            bob.send("once");
            assertThat(bob.receiveText()).isEqualTo("handled once");
            awaitCounts(container, 1, 0);
        });
    }

    @Test
    void autoStartupFalseIsNotRunningAfterStartupAndHandlesQueuedMessagesAfterStart() {
        this.runner.withBean(Manual.class).run(context -> {
            ZmqListenerContainer container = container(context, "manual");
            assertThat(container.isAutoStartup()).isFalse();
            assertThat(container.isRunning()).isFalse();
            Client bob = Client.connect(context, "bob", "alice");
            for (int i = 0; i < 5; i++) {
                bob.send("early " + i);
            }
            await().during(QUIET).atMost(QUIET.multipliedBy(4)).until(() -> container.received() == 0);

            container.start();
            for (int i = 0; i < 5; i++) {
                assertThat(bob.receiveText()).isEqualTo("manual early " + i);
            }
            awaitCounts(container, 5, 0);
        });
    }

    @Test
    void placeholdersResolveInEveryAttribute() {
        this.runner
            .withPropertyValues("app.listener-id=from-placeholders", "app.peer-name=alice", "app.concurrency=3",
                    "app.auto-startup=true")
            .withBean(ResolvedAttributes.class)
            .run(context -> {
                ZmqListenerContainer container = container(context, "from-placeholders");
                assertThat(container.getSocketName()).isEqualTo("alice");
                assertThat(container.getConcurrency()).isEqualTo(3);
                assertThat(container.isAutoStartup()).isTrue();
                assertThat(container.isRunning()).isTrue();
                Client bob = Client.connect(context, "bob", "alice");
                bob.send("x");
                assertThat(bob.receiveText()).isEqualTo("placeholders x");
            });
    }

    @Test
    void spelResolvesInEveryAttributeAndMayContainPlaceholders() {
        this.runner
            .withPropertyValues("app.listener-id=from-placeholders", "app.peer-name=alice", "app.concurrency=3",
                    "app.auto-startup=true")
            .withBean(ResolvedAttributes.class)
            .run(context -> {
                ZmqListenerContainer container = container(context, "spel-listener");
                assertThat(container.getSocketName()).isEqualTo("carol");
                assertThat(container.getConcurrency()).isEqualTo(4);
                assertThat(container.isAutoStartup()).isFalse();
                assertThat(container.isRunning()).isFalse();
                container.start();
                Client bob = Client.connect(context, "bob", "carol");
                bob.send("y");
                assertThat(bob.receiveText()).isEqualTo("spel y");
            });
    }

    @Test
    void defaultIdIsBeanNameDotMethodName() {
        this.runner.withUserConfiguration(DefaultIdConfig.class).run(context -> {
            ZmqListenerEndpointRegistry registry = context.getBean(ZmqListenerEndpointRegistry.class);
            assertThat(registry.getListenerContainerIds()).containsExactly("greeter.greet");
            ZmqListenerContainer container = registry.getListenerContainer("greeter.greet");
            assertThat(container.getId()).isEqualTo("greeter.greet");
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("you");
            assertThat(bob.receiveText()).isEqualTo("hello you");
        });
    }

    @Test
    void listenerOnAClassProxiedBeanIsCalledThroughTheProxy() {
        this.runner.withUserConfiguration(ClassProxyConfig.class).run(context -> {
            Object bean = context.getBean("proxiedGreeter");
            assertThat(AopUtils.isCglibProxy(bean)).isTrue();
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("proxy");
            assertThat(bob.receiveText()).isEqualTo("hello proxy");
            awaitCounts(container(context, "proxiedGreeter.greet"), 1, 0);
            assertThat(context.getBean(ProxyingPostProcessor.class).intercepted).hasValue(1);
        });
    }

    @Test
    void listenerOnAnInterfaceProxiedBeanIsCalledThroughTheProxy() {
        this.runner.withUserConfiguration(InterfaceProxyConfig.class).run(context -> {
            Object bean = context.getBean("proxiedGreeter");
            assertThat(AopUtils.isJdkDynamicProxy(bean)).isTrue();
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("jdk proxy");
            assertThat(bob.receiveText()).isEqualTo("hello jdk proxy");
            awaitCounts(container(context, "proxiedGreeter.greet"), 1, 0);
            assertThat(context.getBean(ProxyingPostProcessor.class).intercepted).hasValue(1);
        });
    }

    @Test
    void metaAnnotationWorksLikeTheAnnotation() {
        this.runner.withUserConfiguration(MetaAnnotationConfig.class).run(context -> {
            ZmqListenerContainer container = container(context, "metaAnnotated.onMessage");
            assertThat(container.getSocketName()).isEqualTo("alice");
            assertThat(container.isRunning()).isTrue();
            Client bob = Client.connect(context, "bob", "alice");
            bob.send("meta");
            assertThat(bob.receiveText()).isEqualTo("meta-annotated meta");
        });
    }

    @Test
    void containersStartAfterTheirSocketIsBoundAndStopBeforeItCloses() {
        this.runner.withBean(Switchable.class).withUserConfiguration(ProbeConfig.class).run(context -> {
            LifecycleProbe before = context.getBean("beforeListeners", LifecycleProbe.class);
            LifecycleProbe after = context.getBean("afterListeners", LifecycleProbe.class);
            assertThat(before.events).containsExactly("start: socket bound, container running false");
            assertThat(after.events).containsExactly("start: socket bound, container running true");

            context.close();

            assertThat(after.events).containsExactly("start: socket bound, container running true",
                    "stop: socket open, container running true");
            assertThat(before.events).containsExactly("start: socket bound, container running false",
                    "stop: socket open, container running false");
        });
    }

    @Test
    void aMessageInHandAtCloseIsFinishedAndItsRepliesGoOutBeforeTheSocketCloses() {
        ApplicationContextRunner client = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues("zmq.peers.bob.linger=0");
        ApplicationContextRunner server = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=2s")
            .withBean(Slow.class);
        client.run(clientContext -> server.run(context -> {
            Slow slow = context.getBean(Slow.class);
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            Client bob = Client.connect(clientContext.getBean("bob", ZmqPeer.class), alice);
            bob.send("last");
            assertThat(slow.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
            // the close waits for the message in hand
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !closing.isDone());
            slow.release.countDown();
            closing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(slow.sendOutcome).isEqualTo("sent");
            assertThat(bob.receiveText()).isEqualTo("from inside last");
            assertThat(bob.receiveText()).isEqualTo("reply to last");
            ZmqException closed = catchThrowableOfType(ZmqException.class, () -> alice.send(1, "too late"));
            assertThat(closed).as("send after the context closed").isNotNull();
            assertThat(closed.error()).isIn(ZmqError.ETERM, ZmqError.ENOTSOCK);
        }));
    }

    static class Switchable {

        @ZmqListener(id = "switchable", peer = "alice")
        String onMessage(String text) {
            return "handled " + text;
        }
    }

    static class Sequence {

        private final List<Integer> handled = new ArrayList<>();

        @ZmqListener(id = "sequence", peer = "alice", concurrency = "${test.concurrency}")
        void onMessage(String text) {
            synchronized (this.handled) {
                this.handled.add(Integer.valueOf(text));
            }
        }

        List<Integer> handled() {
            synchronized (this.handled) {
                return List.copyOf(this.handled);
            }
        }
    }

    /**
     * Stops its own container (concurrency 1: on the reading thread) at message 5, then stays in that call while the
     * test restarts the container, watching for a call on another thread meanwhile.
     */
    static class SelfStopping {

        volatile ZmqListenerContainer container;

        final CountDownLatch stopped = new CountDownLatch(1);

        final CountDownLatch restarting = new CountDownLatch(1);

        final CountDownLatch overlapping = new CountDownLatch(1);

        private final AtomicInteger inCall = new AtomicInteger();

        private final List<Integer> handled = new CopyOnWriteArrayList<>();

        @ZmqListener(id = "selfStopping", peer = "alice", autoStartup = "false")
        void onMessage(String text) throws InterruptedException {
            if (this.inCall.incrementAndGet() > 1) {
                this.overlapping.countDown();
            }
            try {
                this.handled.add(Integer.valueOf(text));
                if (text.equals("5")) {
                    this.container.stop();
                    this.stopped.countDown();
                    this.restarting.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    // a reading thread started while this one is still in this call would call in now
                    this.overlapping.await(QUIET.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            finally {
                this.inCall.decrementAndGet();
            }
        }

        List<Integer> handled() {
            return List.copyOf(this.handled);
        }
    }

    /** Stops its own container (concurrency 1: on the reading thread) and tries to start it again there. */
    static class SelfRestarting {

        volatile ZmqListenerContainer container;

        final AtomicReference<RuntimeException> refused = new AtomicReference<>();

        @ZmqListener(id = "selfRestarting", peer = "alice")
        String onMessage(String text) {
            if (text.equals("restart")) {
                this.container.stop();
                try {
                    this.container.start();
                }
                catch (RuntimeException ex) {
                    this.refused.set(ex);
                }
                return null;
            }
            return "handled " + text;
        }
    }

    static class Manual {

        @ZmqListener(id = "manual", peer = "alice", autoStartup = "false")
        String onMessage(String text) {
            return "manual " + text;
        }
    }

    static class ResolvedAttributes {

        @ZmqListener(id = "${app.listener-id}", peer = "${app.peer-name}", concurrency = "${app.concurrency}",
                autoStartup = "${app.auto-startup}")
        String byPlaceholders(String text) {
            return "placeholders " + text;
        }

        @ZmqListener(id = "#{'spel-' + 'listener'}", peer = "#{'car' + 'ol'}", concurrency = "#{2 * 2}",
                autoStartup = "#{'${app.auto-startup}' != 'true'}")
        String bySpel(String text) {
            return "spel " + text;
        }
    }

    public static class Greeter {

        @ZmqListener(peer = "alice")
        public String greet(String name) {
            return "hello " + name;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DefaultIdConfig {

        @Bean
        Greeter greeter() {
            return new Greeter();
        }
    }

    /** Wraps the bean {@code proxiedGreeter} in a proxy whose advice counts calls, as a transactional proxy would. */
    static class ProxyingPostProcessor implements BeanPostProcessor, Ordered {

        final AtomicInteger intercepted = new AtomicInteger();

        private final boolean proxyTargetClass;

        ProxyingPostProcessor(boolean proxyTargetClass) {
            this.proxyTargetClass = proxyTargetClass;
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!beanName.equals("proxiedGreeter")) {
                return bean;
            }
            ProxyFactory factory = new ProxyFactory(bean);
            factory.setProxyTargetClass(this.proxyTargetClass);
            factory.addAdvice((MethodInterceptor) (invocation) -> {
                this.intercepted.incrementAndGet();
                return invocation.proceed();
            });
            return factory.getProxy();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClassProxyConfig {

        @Bean
        static ProxyingPostProcessor proxyingPostProcessor() {
            return new ProxyingPostProcessor(true);
        }

        @Bean
        Greeter proxiedGreeter() {
            return new Greeter();
        }
    }

    public interface Greeting {

        String greet(String name);
    }

    public static class InterfaceGreeter implements Greeting {

        @Override
        @ZmqListener(peer = "alice")
        public String greet(String name) {
            return "hello " + name;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InterfaceProxyConfig {

        @Bean
        static ProxyingPostProcessor proxyingPostProcessor() {
            return new ProxyingPostProcessor(false);
        }

        @Bean
        Greeting proxiedGreeter() {
            return new InterfaceGreeter();
        }
    }

    @ZmqListener(peer = "alice")
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface AliceListener {
    }

    static class MetaAnnotated {

        @AliceListener
        String onMessage(String text) {
            return "meta-annotated " + text;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MetaAnnotationConfig {

        @Bean
        MetaAnnotated metaAnnotated() {
            return new MetaAnnotated();
        }
    }

    /**
     * A lifecycle bean in a phase just before or just after the listener containers: records what it sees of the
     * socket {@code alice} and the container {@code switchable} when it starts and stops.
     */
    static class LifecycleProbe implements SmartLifecycle, ApplicationContextAware {

        final List<String> events = new CopyOnWriteArrayList<>();

        private final int phase;

        private ApplicationContext context;

        private volatile boolean running;

        LifecycleProbe(int phase) {
            this.phase = phase;
        }

        @Override
        public void setApplicationContext(ApplicationContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            ZmqPeer alice = this.context.getBean("alice", ZmqPeer.class);
            this.events.add("start: socket " + (alice.boundEndpoints().isEmpty() ? "not bound" : "bound")
                    + ", container running " + container().isRunning());
            this.running = true;
        }

        @Override
        public void stop() {
            this.events.add("stop: socket " + (isOpen(this.context.getBean("alice", ZmqPeer.class)) ? "open" : "closed")
                    + ", container running " + container().isRunning());
            this.running = false;
        }

        private ZmqListenerContainer container() {
            return this.context.getBean(ZmqListenerEndpointRegistry.class).getListenerContainer("switchable");
        }

        /** An open peer refuses a send to a routing id it does not know with EHOSTUNREACH, a closed one otherwise. */
        private static boolean isOpen(ZmqPeer peer) {
            try {
                peer.send(0x7ABCDEF1, "probe");
                return true;
            }
            catch (ZmqException ex) {
                return ex.error() == ZmqError.EHOSTUNREACH;
            }
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }

        @Override
        public int getPhase() {
            return this.phase;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ProbeConfig {

        @Bean
        LifecycleProbe beforeListeners() {
            return new LifecycleProbe(ZmqListenerEndpointRegistry.PHASE - 1);
        }

        @Bean
        LifecycleProbe afterListeners() {
            return new LifecycleProbe(ZmqListenerEndpointRegistry.PHASE + 1);
        }
    }

    static class Slow {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        volatile String sendOutcome;

        @ZmqListener(id = "slow", peer = "alice")
        String onMessage(String text, @RoutingId int sender, ZmqPeer alice) throws InterruptedException {
            this.entered.countDown();
            if (!this.release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                this.sendOutcome = "never released";
                return null;
            }
            try {
                alice.send(sender, "from inside " + text);
                this.sendOutcome = "sent";
            }
            catch (ZmqException ex) {
                this.sendOutcome = ex.error().name();
            }
            return "reply to " + text;
        }
    }
}
