package io.github.zmqboot.interop;

import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.fail;

/**
 * What an interop test does when its native peer (libzmq through {@code python3-zmq}, or the draft libzmq named by
 * {@code LIBZMQ_DRAFT}) is missing: on a developer's machine it is skipped, saying what is missing; under
 * {@code CI=true} (set by CI services, and by {@code .ci/run}) it fails, so that a build whose native peers could not
 * be installed is never green.
 */
public final class NativeInterop {

    /** The environment variable that marks a CI build. */
    public static final String CI_VARIABLE = "CI";

    private NativeInterop() {
    }

    /**
     * Returns when {@code available}; otherwise fails the test under {@code CI=true} and skips it elsewhere.
     *
     * @param missing what is missing, and how to get it
     */
    public static void require(boolean available, String missing) {
        if (available) {
            return;
        }
        if (isCi()) {
            fail("The native peer of this interop test is missing, and " + CI_VARIABLE + "=true: " + missing);
        }
        throw new TestAbortedException("Skipped (the native peer is missing; it fails under " + CI_VARIABLE
                + "=true): " + missing);
    }

    static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv(CI_VARIABLE));
    }
}
