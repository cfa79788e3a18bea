package io.github.zmqboot.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** No main source file is longer than {@value #MAX_LINES} lines: a file a reader can hold in mind. */
class SourceFileLengthTest {

    private static final int MAX_LINES = 500;

    @Test
    void noMainSourceFileIsLongerThanTheLimit() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(sources)) {
            tooLong = files.filter(file -> file.toString().endsWith(".java"))
                .filter(file -> lines(file) > MAX_LINES)
                .map(file -> sources.relativize(file) + " (" + lines(file) + " lines)")
                .sorted()
                .toList();
        }
        assertThat(tooLong).as("main source files over %d lines", MAX_LINES).isEmpty();
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
