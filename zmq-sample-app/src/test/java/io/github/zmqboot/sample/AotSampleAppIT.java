package io.github.zmqboot.sample;

import java.util.List;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SampleAppIT} again, on the code ahead-of-time processing generated: the same jar started with
 * {@code java -Dspring.aot.enabled=true -jar …} (the build runs {@code process-aot}, as {@code -Pnative} does), its
 * ports moved on the command line. It is healthy, its PEER and REP listeners answer traffic from another process,
 * and the actuator steers its proxies, exactly as without AOT. The output goes to {@code target/aot-sample-app-it.log}.
 */
class AotSampleAppIT extends SampleAppIT {

    @Override
    String logFileName() {
        return "aot-sample-app-it.log";
    }

    @Override
    List<String> jvmOptions() {
        return List.of("-Dspring.aot.enabled=true");
    }

    @Test
    @Order(0)
    void runsTheAotProcessedApplication() throws Exception {
        assertThat(output()).contains("Starting AOT-processed ZmqSampleApplication");
    }
}
