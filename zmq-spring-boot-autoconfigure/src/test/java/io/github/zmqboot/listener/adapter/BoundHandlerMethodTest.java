package io.github.zmqboot.listener.adapter;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How a listener method is called: directly (no reflection) for up to two parameters, with the method's own
 * exceptions and Spring's report of an argument that does not fit; by reflection otherwise.
 */
class BoundHandlerMethodTest {

    private static final Message<byte[]> MESSAGE = MessageBuilder.withPayload(new byte[] { 1, 2, 3 }).build();

    private final Handler handler = new Handler();

    @Test
    void aOneParameterMethodIsCalledWithoutReflection() throws Exception {
        BoundHandlerMethod method = bind("bytes", parameter -> new byte[] { 7 });

        assertThat(method.callsDirectly()).isTrue();
        assertThat(method.invoke(MESSAGE)).isNull();
        assertThat(this.handler.received).containsExactly(7);
        assertThat(this.handler.callers).contains(BoundHandlerMethod.class.getName() + ".invoke")
            .noneMatch(frame -> frame.startsWith("java.lang.reflect.") || frame.startsWith("jdk.internal.reflect."));
    }

    @Test
    void aTwoParameterMethodWithAPrimitiveAndAReturnValueIsCalledDirectly() throws Exception {
        BoundHandlerMethod method = bind("reply",
                parameter -> parameter.getParameterIndex() == 0 ? "hello" : Integer.valueOf(-5));

        assertThat(method.callsDirectly()).isTrue();
        assertThat(method.invoke(MESSAGE)).isEqualTo("hello -5");
    }

    @Test
    void aPrimitiveReturnValueComesBoxed() throws Exception {
        BoundHandlerMethod method = bind("length", parameter -> "four");

        assertThat(method.callsDirectly()).isTrue();
        assertThat(method.invoke(MESSAGE)).isEqualTo(4);
    }

    @Test
    void aMethodOfAPrivateClassIsCalledDirectly() throws Exception {
        BoundHandlerMethod method = new BoundHandlerMethod(new Hidden(), Hidden.class.getDeclaredMethod("twice",
                String.class), List.of(new Resolver(parameter -> "ab")));

        assertThat(method.callsDirectly()).isTrue();
        assertThat(method.invoke(MESSAGE)).isEqualTo("abab");
    }

    @Test
    void theMethodsCheckedExceptionComesOutAsItWasThrown() {
        BoundHandlerMethod method = bind("fail", parameter -> "disk full");

        assertThat(method.callsDirectly()).isTrue();
        assertThatExceptionOfType(IOException.class).isThrownBy(() -> method.invoke(MESSAGE))
            .isSameAs(this.handler.thrown);
    }

    @Test
    void anArgumentThatDoesNotFitItsParameterIsReportedAsSpringReportsIt() throws Exception {
        BoundHandlerMethod method = bind("reply", parameter -> parameter.getParameterIndex() == 0 ? 42 : null);

        assertThat(method.callsDirectly()).isTrue();
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> method.invoke(MESSAGE))
            .withCauseInstanceOf(IllegalArgumentException.class)
            .withMessageContaining("argument type mismatch")
            .withMessageContaining(Handler.class.getName() + ".reply(java.lang.String,int)");
        assertThat(this.handler.received).isEmpty();
    }

    @Test
    void aNullForAPrimitiveParameterIsReportedAsSpringReportsIt() {
        BoundHandlerMethod method = bind("reply", parameter -> parameter.getParameterIndex() == 0 ? "hello" : null);

        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> method.invoke(MESSAGE))
            .withCauseInstanceOf(IllegalArgumentException.class)
            .withMessageContaining(Handler.class.getName() + ".reply(java.lang.String,int)");
        assertThat(this.handler.received).isEmpty();
    }

    @Test
    void aMethodOfThreeParametersIsCalledByReflection() throws Exception {
        BoundHandlerMethod method = bind("three", parameter -> "p" + parameter.getParameterIndex());

        assertThat(method.callsDirectly()).isFalse();
        assertThat(method.invoke(MESSAGE)).isEqualTo("p0p1p2");
    }

    private BoundHandlerMethod bind(String name, Function<MethodParameter, Object> arguments) {
        Method method = Arrays.stream(Handler.class.getDeclaredMethods())
            .filter(candidate -> candidate.getName().equals(name))
            .findFirst()
            .orElseThrow();
        return new BoundHandlerMethod(this.handler, method, List.of(new Resolver(arguments)));
    }

    /** Resolves every parameter with a function of the parameter. */
    private record Resolver(Function<MethodParameter, Object> arguments) implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return true;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, Message<?> message) {
            return this.arguments.apply(parameter);
        }
    }

    public static class Handler {

        final List<Integer> received = new java.util.ArrayList<>();

        List<String> callers = List.of();

        IOException thrown;

        public void bytes(byte[] payload) {
            for (byte b : payload) {
                this.received.add((int) b);
            }
            // the frames between this method and the handler method's invoke, that one included
            List<String> frames = Arrays.stream(new Throwable().getStackTrace())
                .map(frame -> frame.getClassName() + "." + frame.getMethodName())
                .toList();
            this.callers = frames.subList(0, frames.indexOf(BoundHandlerMethod.class.getName() + ".invoke") + 1);
        }

        public String reply(String text, int routingId) {
            this.received.add(routingId);
            return text + " " + routingId;
        }

        public int length(String text) {
            return text.length();
        }

        public void fail(String reason) throws IOException {
            this.thrown = new IOException(reason);
            throw this.thrown;
        }

        public String three(String a, String b, String c) {
            return a + b + c;
        }
    }

    private static final class Hidden {

        private String twice(String text) {
            return text + text;
        }
    }
}
