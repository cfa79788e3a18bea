package io.github.zmqboot.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No main source file of any module of the build is longer than {@value #MAX_LINES} lines: a file a reader can hold in
 * mind. The test runs in this module's directory; the repository root is its parent, whose {@code pom.xml} lists the
 * modules. Each module's {@code src/main/java} is checked (a module without one, such as the starter, is skipped; this
 * module's must exist), and a file over the limit is reported by its path from the repository root.
 */
class SourceFileLengthTest {

    private static final int MAX_LINES = 500;

    private static final String MAIN_SOURCES = "src/main/java";

    @Test
    void noMainSourceFileIsLongerThanTheLimit() throws Exception {
        assertThat(Path.of(MAIN_SOURCES)).isDirectory();
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> modules = modules(root.resolve("pom.xml"));
        assertThat(modules).as("the modules of %s", root.resolve("pom.xml"))
            .contains(Path.of("").toAbsolutePath().getFileName().toString());
        List<String> tooLong = new ArrayList<>();
        for (String module : modules) {
            Path sources = root.resolve(module).resolve(MAIN_SOURCES);
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> lines(file) > MAX_LINES)
                    .map(file -> root.relativize(file) + " (" + lines(file) + " lines)")
                    .forEach(tooLong::add);
            }
        }
        assertThat(tooLong.stream().sorted().toList()).as("main source files over %d lines", MAX_LINES).isEmpty();
    }

    /** The {@code <module>} entries of the build's {@code pom.xml}. */
    private static List<String> modules(Path pom) throws Exception {
        NodeList modules = DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(pom.toFile())
            .getElementsByTagName("module");
        return IntStream.range(0, modules.getLength()).mapToObj(i -> modules.item(i).getTextContent().trim()).toList();
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
