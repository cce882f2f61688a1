package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.internal.processor.DagProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** DAG classes compiled by a test, as a user's project compiles them: with dag-core's processor writing the index. */
public final class CompiledDags {
    private CompiledDags() {
    }

    /** Compiles {@code source}, the public class {@code className} of package {@code com.example}, into {@code dir}/classes. */
    public static Path compile(Path dir, String className, String source) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("src/com/example"));
        Path file = Files.writeString(sources.resolve(className + ".java"), source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "-processor", DagProcessor.class.getName(), file.toString());
        assertThat(status).as("javac exit status").isZero();
        return classes;
    }

    /**
     * Compiles the test resource {@code resource}, the source of the public class of package {@code com.example}
     * its file is named after, into {@code dir}/classes: DAGs that only some tests run, kept out of the test class
     * path so that the catalogue every other test sees holds the bundled DAGs alone.
     */
    public static Path compileResource(Path dir, String resource) throws IOException {
        String fileName = resource.substring(resource.lastIndexOf('/') + 1);
        try (InputStream source = CompiledDags.class.getResourceAsStream("/" + resource)) {
            assertThat(source).as("test resource " + resource).isNotNull();
            return compile(dir, fileName.substring(0, fileName.length() - ".java".length()),
                    new String(source.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
