package io.github.zmqboot.interop;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs Python programs on native libzmq (Debian's {@code python3-zmq}) for the interop tests: whether it is there,
 * and one program's run, asserted to end in time with exit status 0.
 */
public final class Pyzmq {

    private static final String PYTHON = "/usr/bin/python3";

    private static final long RUN_LIMIT_SECONDS = 60;

    private Pyzmq() {
    }

    /** Whether {@code /usr/bin/python3} imports {@code zmq} and, when asked, has CURVE (libsodium). */
    public static boolean available(boolean withCurve) {
        if (!new File(PYTHON).canExecute()) {
            return false;
        }
        String probe = withCurve ? "import zmq; assert zmq.has('curve')" : "import zmq";
        try {
            Process process = new ProcessBuilder(PYTHON, "-c", probe).redirectErrorStream(true).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Copies a script from the test's class path (next to {@code owner}) into {@code folder}. */
    public static Path script(Class<?> owner, String name, Path folder) throws IOException {
        Path script = folder.resolve(name);
        try (InputStream in = owner.getResourceAsStream(name)) {
            Files.copy(in, script);
        }
        return script;
    }

    /**
     * Runs {@code script} with {@code arguments}, asserts that it ended within 60 s with status 0, and returns its
     * output (stdout and stderr), trimmed.
     */
    public static String run(Path script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean exited = process.waitFor(RUN_LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(exited).as("the libzmq program ended within %d s: %s", RUN_LIMIT_SECONDS, output).isTrue();
        assertThat(process.exitValue()).as("exit status; output: %s", output).isZero();
        return output;
    }
}
