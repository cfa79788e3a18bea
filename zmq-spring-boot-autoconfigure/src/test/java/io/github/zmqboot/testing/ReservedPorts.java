package io.github.zmqboot.testing;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link ReservedPort}s for a test, each released after it. Register with {@code @RegisterExtension}.
 */
public final class ReservedPorts implements AfterEachCallback {

    private final List<ReservedPort> reserved = new ArrayList<>();

    /** Reserves a fresh port until the test ends. */
    public ReservedPort reserve() {
        ReservedPort port = ReservedPort.reserve();
        this.reserved.add(port);
        return port;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        this.reserved.forEach(ReservedPort::close);
        this.reserved.clear();
    }
}
