package io.github.zmqboot.guard;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A valid ZMTP frame header declaring 2 GiB - 16 bytes, sent to a socket with {@code max-message-size} -1 (no limit,
 * libzmq's default, set here on purpose: the starter's own default, 1 MiB, drops the connection at the header):
 * JeroMQ 0.6.0 allocates the whole size when the header arrives, and the {@link OutOfMemoryError} of a JVM that
 * cannot hold it ends the I/O thread ({@link UnguardedEngineTest}). The starter's guard drops that frame instead:
 * legitimate traffic continues, on the same connection and from a new client, and the context closes.
 * Runs in a JVM of its own with 64 MiB of direct memory, so the allocation fails the same way on every machine.
 */
@Timeout(120)
class HugeFrameTest {

    @Test
    void aFrameTooLargeToAllocateIsDroppedAndTheIoThreadLives() throws Exception {
        Map<String, String> results = ChildJvm.run(EngineVictim.class,
                List.of("-Xmx128m", "-XX:MaxDirectMemorySize=64m"), Duration.ofSeconds(60), "guarded-huge");

        assertThat(results).containsEntry("BEFORE", "before")
            .containsEntry("AFTER", "after")
            .containsEntry("NEW_CLIENT_HANDSHAKE", "completed")
            .containsEntry("NEW_CLIENT_MESSAGE", "from-a-new-client")
            .containsEntry("REJECTED_FRAMES", "1")
            .containsEntry("IO_THREAD_ALIVE", "true")
            .containsEntry("IO_BUSY", "false")
            .containsEntry("IO_THREAD_ENDED_AFTER_CLOSE", "true");
        assertThat(Long.parseLong(results.get("CLOSE_MILLIS"))).as("context close, linger 1 s")
            .isLessThan(GuardTestApplication.LINGER.plusSeconds(1).toMillis());
    }
}
