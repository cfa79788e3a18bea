package io.github.zmqboot.guard;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a main class of the test classpath in a JVM of its own and collects its {@code RESULT key=value} lines.
 * Bounded: a child still running after the timeout is killed (it is this test's own process) and the test fails.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    public static Map<String, String> run(Class<?> mainClass, List<String> jvmOptions, Duration timeout, String... args)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        File output = File.createTempFile("zmq-guard-child", ".log");
        output.deleteOnExit();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String log = Files.readString(output.toPath(), StandardCharsets.UTF_8);
        assertThat(exited).as("child JVM ended within " + timeout + "; its output:\n" + log).isTrue();
        Map<String, String> results = new LinkedHashMap<>();
        log.lines().filter(line -> line.startsWith("RESULT ")).forEach(line -> {
            int equals = line.indexOf('=');
            results.put(line.substring("RESULT ".length(), equals), line.substring(equals + 1));
        });
        assertThat(results).as("child JVM results; its output:\n" + log).doesNotContainKey("FAILED");
        System.out.println("[" + mainClass.getSimpleName() + " " + String.join(" ", args) + "] " + results);
        return results;
    }
}
