package io.github.zmqboot.aot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.zmqboot.autoconfigure.ZmqAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.InputStreamSource;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ahead-of-time processing of the socket beans, as {@code process-aot} runs it: a peer, a socket and a proxy become
 * generated code that calls the {@code ConfiguredSockets} factory with the bean's name, keeps "no destroy method"
 * for sockets and peers and {@code stop} for proxies (a router-dealer proxy drains), and the registrar itself is left
 * out. (Registered with instance suppliers, processing failed with "instance supplier is not supported".)
 */
class SocketBeansAotTest {

    @Test
    void socketBeansAreWrittenAsFactoryMethodCallsWithTheirNames() throws IOException {
        String code = generatedSources();
        assertThat(code).contains("createPeer(args.get(0))", "addIndexedArgumentValue(0, \"alice\")",
                "createSocket(args.get(0))", "addIndexedArgumentValue(0, \"ticks\")", "createProxy(args.get(0))",
                "addIndexedArgumentValue(0, \"broker\")", "setDestroyMethodNames(\"stop\")");
        // alice's and ticks' definitions keep the empty destroy method: the context manager closes them
        assertThat(code.split("setDestroyMethodName\\(\"\"\\)", -1)).hasSize(3);
        assertThat(code).doesNotContain("ZmqSocketBeanRegistrar");
    }

    private static String generatedSources() throws IOException {
        InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            TestPropertyValues.of("zmq.peers.alice.bind[0]=tcp://127.0.0.1:0", "zmq.sockets.ticks.type=SUB",
                    "zmq.proxies.broker.type=router-dealer", "zmq.proxies.broker.frontend.bind[0]=tcp://127.0.0.1:0",
                    "zmq.proxies.broker.backend.bind[0]=tcp://127.0.0.1:0")
                .applyTo(context);
            context.register(Application.class);
            DefaultGenerationContext generation = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get(Application.class)), files);
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            generation.writeGeneratedContent();
        }
        Map<String, InputStreamSource> sources = files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE);
        StringBuilder all = new StringBuilder();
        for (InputStreamSource source : sources.values()) {
            try (InputStream in = source.getInputStream()) {
                all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        assertThat(sources.keySet().stream().collect(Collectors.joining(","))).contains("__BeanDefinitions");
        return all.toString();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ZmqAutoConfiguration.class)
    static class Application {
    }
}
