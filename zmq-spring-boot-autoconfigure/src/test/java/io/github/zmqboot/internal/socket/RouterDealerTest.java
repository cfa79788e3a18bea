package io.github.zmqboot.internal.socket;

import java.time.Duration;

import io.github.zmqboot.core.ZmqError;
import io.github.zmqboot.core.ZmqException;
import io.github.zmqboot.core.ZmqSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** A ROUTER addresses a DEALER by the routing id it set, with an identity envelope sent as one multipart message. */
class RouterDealerTest {

    private final TestSockets sockets = new TestSockets();

    @AfterEach
    void close() {
        this.sockets.close();
    }

    @Test
    void routerSendsToADealerByItsRoutingIdEnvelope() {
        ZmqSocket router = this.sockets.create("router", SocketType.ROUTER,
                options -> options.setRouterMandatory(true));
        router.bind("tcp://127.0.0.1:0");
        ZmqSocket dealer = this.sockets.create("dealer", SocketType.DEALER, options -> options.setRoutingId("worker-7"));
        dealer.connect(router.boundEndpoints().get(0));

        // with router-mandatory an identity not (yet) connected is EHOSTUNREACH: wait until the dealer is known
        org.awaitility.Awaitility.await().atMost(TestSockets.PATIENCE).ignoreException(ZmqException.class).until(() -> {
            router.send(envelope("worker-7", "hello"));
            return true;
        });
        ZMsg received = dealer.receive(TestSockets.PATIENCE);

        assertThat(received).isNotNull();
        assertThat(received.size()).isEqualTo(1);
        assertThat(received.popString()).isEqualTo("hello");
        assertThatExceptionOfType(ZmqException.class).isThrownBy(() -> router.send(envelope("nobody", "lost")))
            .satisfies(ex -> assertThat(ex.error()).isEqualTo(ZmqError.EHOSTUNREACH));

        dealer.send("back");
        ZMsg atRouter = router.receive(TestSockets.PATIENCE);
        assertThat(atRouter.popString()).isEqualTo("worker-7");
        assertThat(atRouter.popString()).isEqualTo("back");
        assertThat(router.receive(Duration.ZERO)).isNull();
    }

    private static ZMsg envelope(String identity, String payload) {
        ZMsg message = new ZMsg();
        message.add(identity);
        message.add(payload);
        return message;
    }
}
