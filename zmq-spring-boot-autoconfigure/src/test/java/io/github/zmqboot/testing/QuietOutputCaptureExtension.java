package io.github.zmqboot.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.boot.test.system.CapturedOutput;

/**
 * Captures {@code System.out} and {@code System.err} like Spring Boot's {@code OutputCaptureExtension}, without
 * echoing them to the console: a test that provokes an error on purpose (a startup failure report, a handler failure
 * logged at ERROR) keeps a passing build's log free of ERROR lines. When a test fails, what it printed is echoed to
 * the console after all, for diagnosis. A {@link CapturedOutput} parameter holds what was printed since its test
 * started (as with Boot's extension).
 */
public class QuietOutputCaptureExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
        .create(QuietOutputCaptureExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(Capture.class, Capture.start());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Capture capture = context.getStore(NAMESPACE).remove(Capture.class, Capture.class);
        if (capture != null) {
            capture.stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("start", capture(context).allLength());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            Integer start = context.getStore(NAMESPACE).get("start", Integer.class);
            capture(context).echoSince(start != null ? start : 0, context.getDisplayName());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == CapturedOutput.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Integer start = extensionContext.getStore(NAMESPACE).get("start", Integer.class);
        return capture(extensionContext).since(start != null ? start : 0);
    }

    private static Capture capture(ExtensionContext context) {
        for (ExtensionContext current = context; current != null; current = current.getParent().orElse(null)) {
            Capture capture = current.getStore(NAMESPACE).get(Capture.class, Capture.class);
            if (capture != null) {
                return capture;
            }
        }
        throw new IllegalStateException("QuietOutputCaptureExtension must be registered on the test class");
    }

    /** The captured streams of one test class; thread-safe (threads of the application print while tests read). */
    private static final class Capture implements CapturedOutput {

        private final PrintStream originalOut;

        private final PrintStream originalErr;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        private final ByteArrayOutputStream all = new ByteArrayOutputStream();

        private Capture(PrintStream originalOut, PrintStream originalErr) {
            this.originalOut = originalOut;
            this.originalErr = originalErr;
        }

        static Capture start() {
            Capture capture = new Capture(System.out, System.err);
            System.setOut(new PrintStream(capture.sink(capture.out), true, Charset.defaultCharset()));
            System.setErr(new PrintStream(capture.sink(capture.err), true, Charset.defaultCharset()));
            return capture;
        }

        void stop() {
            System.setOut(this.originalOut);
            System.setErr(this.originalErr);
        }

        private OutputStream sink(ByteArrayOutputStream own) {
            return new OutputStream() {

                @Override
                public void write(int b) {
                    write(new byte[] { (byte) b }, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    synchronized (Capture.this) {
                        own.write(bytes, offset, length);
                        Capture.this.all.write(bytes, offset, length);
                    }
                }
            };
        }

        /** What was printed from {@code start} (a length of the combined output) on. */
        CapturedOutput since(int start) {
            int outStart;
            int errStart;
            synchronized (this) {
                outStart = this.out.size();
                errStart = this.err.size();
            }
            int allStart = start;
            // out and err offsets are taken when the parameter is resolved, just before the test method runs
            return new CapturedOutput() {

                @Override
                public String getAll() {
                    return Capture.this.all(allStart);
                }

                @Override
                public String getOut() {
                    return Capture.this.part(Capture.this.out, outStart);
                }

                @Override
                public String getErr() {
                    return Capture.this.part(Capture.this.err, errStart);
                }

                @Override
                public String toString() {
                    return getAll();
                }
            };
        }

        synchronized String all(int start) {
            return part(this.all, start);
        }

        private synchronized String part(ByteArrayOutputStream stream, int start) {
            byte[] bytes = stream.toByteArray();
            return new String(bytes, start, bytes.length - start, Charset.defaultCharset());
        }

        synchronized int allLength() {
            return this.all.size();
        }

        synchronized void echoSince(int start, String test) {
            byte[] bytes = this.all.toByteArray();
            this.originalOut.println("---- output of failed test " + test + " ----");
            this.originalOut.write(bytes, start, bytes.length - start);
            this.originalOut.flush();
        }

        @Override
        public synchronized String getAll() {
            return this.all.toString(Charset.defaultCharset());
        }

        @Override
        public synchronized String getOut() {
            return this.out.toString(Charset.defaultCharset());
        }

        @Override
        public synchronized String getErr() {
            return this.err.toString(Charset.defaultCharset());
        }

        @Override
        public String toString() {
            return getAll();
        }
    }
}
