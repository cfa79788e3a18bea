package io.github.zmqboot.guard;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the guards are for, shown on JeroMQ 0.6.0 PULL sockets made without the starter (the engine's own API:
 * {@code zmq.ZMQ.createContext()}, {@code createSocket(ZMQ_PULL)}), each in a JVM of its own: a stuck engine cannot
 * be closed, and its threads would otherwise burn a core for the rest of the test run ({@link EngineVictim} halts that
 * JVM instead). These are the failures that {@link CvePayloadTest} and {@link HugeFrameTest} would report if the guard
 * were missing: they show that those tests' checks can fail.
 */
@Timeout(120)
class UnguardedEngineTest {

    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void withoutTheGuardTheCvePayloadStopsTheSocketAndSpinsItsIoThread() throws Exception {
        Map<String, String> results = ChildJvm.run(EngineVictim.class, List.of("-Xmx128m"), CHILD_TIMEOUT,
                "unguarded-cve");

        assertThat(results).containsEntry("BEFORE", "before")
            .containsEntry("ENGINE_EXCEPTION", NegativeArraySizeException.class.getName())
            .containsEntry("AFTER", "null")
            .containsEntry("NEW_CLIENT_HANDSHAKE", "timed-out")
            .containsEntry("IO_THREAD_ALIVE", "true")
            .containsEntry("IO_BUSY", "true");
        assertThat(Double.parseDouble(results.get("IO_ENGINE_FRACTION")))
            .as("fraction of stack samples that found the I/O thread outside its selector (spinning in the decoder)")
            .isGreaterThan(IoThreads.ENGINE_FRACTION);
    }

    @Test
    void withoutTheGuardAHugeFrameHeaderEndsTheIoThread() throws Exception {
        Map<String, String> results = ChildJvm.run(EngineVictim.class,
                List.of("-Xmx128m", "-XX:MaxDirectMemorySize=64m"), CHILD_TIMEOUT, "unguarded-huge");

        assertThat(results).containsEntry("BEFORE", "before")
            .containsEntry("ENGINE_EXCEPTION", OutOfMemoryError.class.getName())
            .containsEntry("AFTER", "null")
            .containsEntry("NEW_CLIENT_HANDSHAKE", "timed-out")
            .containsEntry("IO_THREAD_ALIVE", "false");
    }
}
