package io.github.zmqboot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Appends a measured figure (the README's "Guarantees" quote them) to {@code target/test-figures.txt} of the module:
 * the tests' own output is captured, and a line written past the capture would corrupt Surefire's channel.
 */
public final class Figures {

    public static final Path FILE = Path.of("target", "test-figures.txt");

    private Figures() {
    }

    public static synchronized void report(String test, String figure) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, Instant.now() + " [" + test + "] " + figure + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
