package io.github.zmqboot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.zmqboot.core.SocketEvent;
import io.github.zmqboot.core.SocketEventListener;
import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link SocketEventListener} beans receive the events of every socket without being added to the monitor by hand,
 * each event once; a listener bean may depend on a socket bean.
 */
class SocketEventListenerBeansTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZmqAutoConfiguration.class))
        .withPropertyValues("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.peers.alice.linger=0",
                "zmq.peers.bob.linger=0")
        .withBean(Recorder.class)
        .withBean(PeerAwareRecorder.class);

    @Test
    void listenerBeansReceiveEveryEventOnce() {
        this.runner.run(context -> {
            ZmqPeer alice = context.getBean("alice", ZmqPeer.class);
            ZmqPeer bob = context.getBean("bob", ZmqPeer.class);
            bob.connect(alice.boundEndpoints().get(0));
            for (List<SocketEvent> events : List.of(context.getBean(Recorder.class).events,
                    context.getBean(PeerAwareRecorder.class).events)) {
                await().atMost(TIMEOUT).until(() -> count(events, "bob", SocketEvent.Kind.CONNECTED) == 1
                        && count(events, "alice", SocketEvent.Kind.ACCEPTED) == 1);
            }
            // each listener saw each event once (a listener added twice would see it twice)
            bob.close();
            Recorder recorder = context.getBean(Recorder.class);
            await().atMost(TIMEOUT).until(() -> count(recorder.events, "alice", SocketEvent.Kind.DISCONNECTED) == 1);
            assertThat(count(recorder.events, "bob", SocketEvent.Kind.CONNECTED)).isOne();
            assertThat(count(recorder.events, "alice", SocketEvent.Kind.ACCEPTED)).isOne();
        });
    }

    private static long count(List<SocketEvent> events, String socket, SocketEvent.Kind kind) {
        return events.stream().filter(event -> event.socket().equals(socket) && event.kind() == kind).count();
    }

    /** Records every event. */
    abstract static class Recording implements SocketEventListener {

        final List<SocketEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(SocketEvent event) {
            this.events.add(event);
        }
    }

    /** Records every event; depends on nothing. */
    static class Recorder extends Recording {
    }

    /** Records every event; depends on a socket bean (which depends on the socket factory). */
    static class PeerAwareRecorder extends Recording {

        PeerAwareRecorder(ZmqPeer alice) {
            assertThat(alice.name()).isEqualTo("alice");
        }
    }
}
