package io.github.zmqboot.internal.engine;

import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.testing.QuietOutputCaptureExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zmq.Msg;
import zmq.msg.MsgAllocator;
import zmq.msg.MsgAllocatorThreshold;

import org.springframework.boot.test.system.CapturedOutput;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the frame size guard allocates: what the allocator it guards would (heap below the engine's threshold, direct
 * above it, anything a custom allocator makes), and a dropped command frame for a size it refuses.
 */
@ExtendWith(QuietOutputCaptureExtension.class)
class FrameSizeGuardTest {

    @Test
    void overTheEnginesThresholdAllocatorSmallFramesGoOnTheHeapAndLargeOnesDirect() {
        FrameSizeGuard guard = new FrameSizeGuard("alice", null, new MsgAllocatorThreshold(1024), -1);

        Msg small = guard.allocate(1024);
        Msg large = guard.allocate(1025);

        assertThat(small.size()).isEqualTo(1024);
        assertThat(small.buf().isDirect()).isFalse();
        assertThat(large.size()).isEqualTo(1025);
        assertThat(large.buf().isDirect()).isTrue();
    }

    @Test
    void withoutAThresholdEverySizeGoesOnTheHeap() {
        FrameSizeGuard guard = new FrameSizeGuard("alice", null, new MsgAllocatorThreshold(0), -1);

        assertThat(guard.allocate(4 * 1024 * 1024).buf().isDirect()).isFalse();
    }

    @Test
    void aCustomAllocatorGetsEverySize() {
        List<Integer> sizes = new ArrayList<>();
        MsgAllocator custom = size -> {
            sizes.add(size);
            return new Msg(size);
        };
        FrameSizeGuard guard = new FrameSizeGuard("alice", null, custom, -1);

        guard.allocate(0);
        guard.allocate(64);

        assertThat(sizes).containsExactly(0, 64);
    }

    @Test
    void aSizeAboveTheLimitIsDroppedAsACommandFrame(CapturedOutput output) {
        FrameSizeGuard guard = new FrameSizeGuard("alice", null, new MsgAllocatorThreshold(), 100);

        Msg allowed = guard.allocate(100);
        Msg dropped = guard.allocate(101);

        assertThat(allowed.size()).isEqualTo(100);
        assertThat(allowed.isCommand()).isFalse();
        assertThat(dropped.size()).isZero();
        assertThat(dropped.isCommand()).isTrue();
        assertThat(guard.rejectedFrames()).isEqualTo(1);
        assertThat(output).contains("Socket 'alice' received a frame of 101 bytes, above max-message-size 100");
    }
}
