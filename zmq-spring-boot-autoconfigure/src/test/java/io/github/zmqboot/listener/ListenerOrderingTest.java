package io.github.zmqboot.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import io.github.zmqboot.core.ZmqPeer;
import io.github.zmqboot.listener.ListenerTestSupport.Client;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.zmqboot.listener.ListenerTestSupport.LONG_TIMEOUT;
import static io.github.zmqboot.listener.ListenerTestSupport.TIMEOUT;
import static io.github.zmqboot.listener.ListenerTestSupport.awaitCounts;
import static io.github.zmqboot.listener.ListenerTestSupport.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A PEER listener with {@code concurrency} 4 handles the messages of each sender in arrival order while using more
 * than one handler thread: 8 sender peers each send 500 numbered messages over tcp as fast as they can, the handler
 * does a little variable work, and every sender's sequence must come out complete and in order.
 */
class ListenerOrderingTest {

    private static final int SENDERS = 8;

    private static final int MESSAGES = 500;

    @Test
    void everySendersMessagesAreHandledInArrivalOrderOnSeveralThreads() {
        List<String> properties = new ArrayList<>(List.of("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0",
                "zmq.peers.alice.linger=0"));
        for (int s = 0; s < SENDERS; s++) {
            properties.add("zmq.peers.sender" + s + ".linger=0");
        }
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
            .withPropertyValues(properties.toArray(String[]::new))
            .withBean(Sequencer.class)
            .run(context -> {
                ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
                List<Client> senders = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    senders.add(Client.connect(context.getBean("sender" + s, ZmqPeer.class), alice));
                }
                ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
                try {
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<?>> sending = new ArrayList<>();
                    for (int s = 0; s < SENDERS; s++) {
                        Client sender = senders.get(s);
                        String name = "sender" + s;
                        sending.add(pool.submit(() -> {
                            go.await();
                            for (int i = 0; i < MESSAGES; i++) {
                                sender.send(name + ":" + i);
                            }
                            return null;
                        }));
                    }
                    go.countDown();
                    for (Future<?> future : sending) {
                        future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    }
                }
                finally {
                    pool.shutdownNow();
                }

                Sequencer sequencer = context.getBean(Sequencer.class);
                await().atMost(LONG_TIMEOUT).until(() -> sequencer.total.get() >= SENDERS * MESSAGES);
                ZmqListenerContainer container = container(context, "sequencer");
                awaitCounts(container, SENDERS * MESSAGES, 0);
                assertThat(container.received()).isEqualTo(SENDERS * MESSAGES);

                assertThat(sequencer.bySender).hasSize(SENDERS);
                Set<String> senderNames = ConcurrentHashMap.newKeySet();
                sequencer.bySender.forEach((routingId, handled) -> {
                    List<String> sequence;
                    synchronized (handled) {
                        sequence = List.copyOf(handled);
                    }
                    String name = sequence.get(0).substring(0, sequence.get(0).indexOf(':'));
                    senderNames.add(name);
                    List<String> sent = IntStream.range(0, MESSAGES).mapToObj((i) -> name + ":" + i).toList();
                    assertThat(sequence).as("messages of routing id %d (%s) in the order they were handled", routingId,
                            name)
                        .containsExactlyElementsOf(sent);
                });
                assertThat(senderNames).hasSize(SENDERS);
                assertThat(sequencer.threads).as("handler threads").hasSizeGreaterThan(1);
            });
    }

    /** Records, per routing id, the messages in the order the handler finished them, and the threads it ran on. */
    static class Sequencer {

        final Map<Integer, List<String>> bySender = new ConcurrentHashMap<>();

        final Set<String> threads = ConcurrentHashMap.newKeySet();

        final AtomicInteger total = new AtomicInteger();

        @ZmqListener(id = "sequencer", peer = "alice", concurrency = "4")
        void onMessage(String text, @RoutingId int sender) {
            int sequence = Integer.parseInt(text.substring(text.indexOf(':') + 1));
            busySpin(1_000L * (1 + sequence % 7));
            List<String> handled = this.bySender.computeIfAbsent(sender, (id) -> new ArrayList<>());
            synchronized (handled) {
                handled.add(text);
            }
            this.threads.add(Thread.currentThread().getName());
            this.total.incrementAndGet();
        }

        /** A few microseconds of work without sleeping, so that handler threads overlap and race. */
        private static void busySpin(long nanos) {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
    }
}
