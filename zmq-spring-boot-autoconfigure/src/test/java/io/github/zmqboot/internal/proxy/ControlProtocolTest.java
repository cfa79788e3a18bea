package io.github.zmqboot.internal.proxy;

import java.nio.charset.StandardCharsets;

import io.github.zmqboot.core.ProxyStatistics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The control protocol's bytes, as libzmq's {@code proxy.cpp} reads and writes them. */
class ControlProtocolTest {

    @Test
    void commandsAreTheExactCaseSensitiveAsciiBytes() {
        assertThat(ControlProtocol.parse(ascii("PAUSE"))).isEqualTo(ControlProtocol.Command.PAUSE);
        assertThat(ControlProtocol.parse(ascii("RESUME"))).isEqualTo(ControlProtocol.Command.RESUME);
        assertThat(ControlProtocol.parse(ascii("TERMINATE"))).isEqualTo(ControlProtocol.Command.TERMINATE);
        assertThat(ControlProtocol.parse(ascii("STATISTICS"))).isEqualTo(ControlProtocol.Command.STATISTICS);
        assertThat(ControlProtocol.parse(ascii("pause"))).isNull();
        assertThat(ControlProtocol.parse(ascii("PAUSE\0"))).isNull();
        assertThat(ControlProtocol.parse(ascii("PAUS"))).isNull();
        assertThat(ControlProtocol.parse(new byte[0])).isNull();
        assertThat(ControlProtocol.encode(ControlProtocol.Command.STATISTICS)).isEqualTo(ascii("STATISTICS"));
    }

    @Test
    void statisticsAreEightLittleEndianUint64FramesInLibzmqsOrder() {
        ProxyStatistics statistics = new ProxyStatistics(1, 2, 3, 4, 5, 6, 7, 0x0102030405060708L);
        byte[][] frames = ControlProtocol.statisticsFrames(statistics);
        assertThat(frames).hasNumberOfRows(8);
        for (int i = 0; i < 7; i++) {
            assertThat(frames[i]).as("frame %d", i).containsExactly(i + 1, 0, 0, 0, 0, 0, 0, 0);
        }
        assertThat(frames[7]).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(ControlProtocol.parseStatistics(frames)).isEqualTo(statistics);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
