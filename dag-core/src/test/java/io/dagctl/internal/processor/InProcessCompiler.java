package io.dagctl.internal.processor;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/** Compiles one source in-process, with the DAG processor or without any, against the test's class path. */
final class InProcessCompiler {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A diagnostic: its line, the identifier it points at (the name of an annotation), and its message. */
    record Reported(long line, String at, String message) {
    }

    record Result(boolean success, List<Reported> errors, Path classes) {
        List<String> messages() {
            return errors.stream().map(Reported::message).toList();
        }
    }

    private InProcessCompiler() {
    }

    static Result compile(Path classes, String className, String source, boolean withProcessor) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            Files.createDirectories(classes);
            files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            List<String> options = new ArrayList<>(List.of("-classpath",
                    testClassPath() + File.pathSeparator + classes));
            if (!withProcessor) {
                options.add("-proc:none");
            }
            JavaCompiler.CompilationTask task = compiler.getTask(null, files, diagnostics, options, null,
                    List.of(new Source(className, source)));
            if (withProcessor) {
                task.setProcessors(List.of(new DagProcessor()));
            }
            boolean success = task.call();
            List<Reported> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> new Reported(d.getLineNumber(), identifierAt(source, d.getPosition()),
                            d.getMessage(Locale.ROOT)))
                    .toList();
            return new Result(success, errors, classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String identifierAt(String source, long position) {
        if (position < 0) {
            return "";
        }
        // an error on an annotation points at its '@'
        int start = source.charAt((int) position) == '@' ? (int) position + 1 : (int) position;
        Matcher matcher = IDENTIFIER.matcher(source);
        return matcher.find(start) && matcher.start() == start ? matcher.group() : "";
    }

    /**
     * The class directories of the test class path and the jars the DAG API's signatures mention; leaving out the
     * rest of the test's jars makes each compilation several times faster.
     */
    private static String testClassPath() {
        // surefire may start the tests from a manifest-only jar; it keeps the real class path here
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(full.split(File.pathSeparator))
                .filter(entry -> {
                    String name = Path.of(entry).getFileName().toString();
                    return Files.isDirectory(Path.of(entry)) || name.startsWith("slf4j-api")
                            || name.startsWith("jakarta.inject-api");
                })
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
