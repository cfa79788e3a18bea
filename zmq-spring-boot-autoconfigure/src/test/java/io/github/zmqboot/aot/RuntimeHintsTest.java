package io.github.zmqboot.aot;

import java.util.List;

import io.github.zmqboot.annotation.RoutingId;
import io.github.zmqboot.annotation.ZmqListener;
import io.github.zmqboot.autoconfigure.CurveProperties;
import io.github.zmqboot.autoconfigure.EndpointProperties;
import io.github.zmqboot.autoconfigure.TypedEndpointProperties;
import io.github.zmqboot.autoconfigure.ZmqProperties;
import io.github.zmqboot.core.ZmqPeer;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.messaging.Message;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints a native image needs: what {@code META-INF/spring/aot.factories} registers (engine internals read
 * by reflection, configuration properties), and what AOT registers for a bean with {@code @ZmqListener} methods
 * (the methods, their JSON payload and reply types).
 */
class RuntimeHintsTest {

    private final RuntimeHints hints = new RuntimeHints();

    @Test
    void aotFactoriesRegisterTheEngineFieldsReadByReflection() {
        registerFromAotFactories();
        assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(zmq.SocketBase.class, "threadSafeSync"))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(zmq.SocketBase.class, "mailbox"))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(zmq.Ctx.class, "slots")).accepts(this.hints);
    }

    @Test
    void aotFactoriesRegisterTheConfigurationPropertiesDownToMapValues() {
        registerFromAotFactories();
        assertThat(RuntimeHintsPredicates.reflection().onType(ZmqProperties.class)).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(EndpointProperties.class, "setBind"))
            .accepts(this.hints);
        // inherited by zmq.sockets entries and proxy sides; the nested curve options of every socket
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(TypedEndpointProperties.class, "setType"))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(CurveProperties.class, "setServerKey"))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(io.github.zmqboot.autoconfigure.ProxyProperties.class))
            .accepts(this.hints);
    }

    @Test
    void listenerMethodsAndTheirPayloadAndReplyTypesAreRegistered() {
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, Listeners.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "order")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Listeners.class, "wrapped"))
            .accepts(this.hints);
        // bound from JSON: the payload (also inside Message<…>) and the reply, down to what they contain
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Order.class, "item")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Line.class, "quantity")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Receipt.class, "number"))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Note.class, "text")).accepts(this.hints);
        // supplied by the container, not bound
        assertThat(RuntimeHintsPredicates.reflection().onType(ZmqPeer.class)).rejects(this.hints);
    }

    @Test
    void aBeanWithoutListenersGetsNoHints() {
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, Order.class);
        assertThat(this.hints.reflection().typeHints()).isEmpty();
    }

    private void registerFromAotFactories() {
        List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
            .forResourceLocation("META-INF/spring/aot.factories")
            .load(RuntimeHintsRegistrar.class);
        assertThat(registrars).isNotEmpty();
        registrars.forEach(registrar -> registrar.registerHints(this.hints, getClass().getClassLoader()));
    }

    record Line(String sku, int quantity) {
    }

    record Order(String item, List<Line> lines) {
    }

    record Receipt(long number) {
    }

    record Note(String text) {
    }

    static class Listeners {

        @ZmqListener(peer = "alice")
        Receipt order(Order order, @RoutingId int sender, ZmqPeer peer) {
            return new Receipt(1);
        }

        @ZmqListener(socket = "notes")
        void wrapped(Message<Note> note) {
        }
    }
}
