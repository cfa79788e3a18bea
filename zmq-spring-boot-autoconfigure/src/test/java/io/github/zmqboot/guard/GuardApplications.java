package io.github.zmqboot.guard;

import java.util.ArrayList;
import java.util.List;

import io.github.zmqboot.guard.GuardTestApplication.Running;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts {@link GuardTestApplication}s for a test and closes each one still open after it (a test that closes its
 * application itself, to assert on the close, leaves nothing to do). Register with {@code @RegisterExtension}.
 */
final class GuardApplications implements AfterEachCallback {

    private final List<Running> started = new ArrayList<>();

    /** Starts an application with these properties; it is closed after the test. */
    Running start(String... properties) {
        Running app = GuardTestApplication.start(properties);
        this.started.add(app);
        return app;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Running app : this.started) {
            if (app.context().isActive()) {
                app.context().close();
            }
        }
        this.started.clear();
    }
}
