package io.dagctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.internal.processor.DagProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Java sources compiled as a user's build would, with dag-core's annotation processor, into jars and directories. */
final class CompiledBundle {
    private CompiledBundle() {
    }

    /**
     * Compiles {@code sources} (file name to text) into {@code classes} against the test class path and the given
     * extra jars; {@code withProcessor} false compiles as a build without dagctl's processor does.
     */
    static Path compile(Path classes, Map<String, String> sources, List<Path> classPath, boolean withProcessor) {
        try {
            Path sourceDir = Files.createDirectories(classes.resolveSibling(classes.getFileName() + "-src"));
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                    String.join(java.io.File.pathSeparator, Stream.concat(
                            Stream.of(System.getProperty("java.class.path")), classPath.stream().map(Path::toString))
                            .toList())));
            args.addAll(withProcessor ? List.of("-processor", DagProcessor.class.getName()) : List.of("-proc:none"));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                args.add(Files.writeString(sourceDir.resolve(source.getKey()), source.getValue()).toString());
            }
            Files.createDirectories(classes);
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            assertThat(compiler.run(null, null, null, args.toArray(String[]::new))).as("javac exit status").isZero();
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar of a class directory; {@code manifestClassPath}, when not empty, is its manifest's Class-Path. */
    static Path jar(Path classes, Path jar, String manifestClassPath) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (!manifestClassPath.isEmpty()) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, manifestClassPath);
        }
        try {
            Files.createDirectories(jar.getParent());
            try (OutputStream file = Files.newOutputStream(jar);
                 JarOutputStream out = new JarOutputStream(file, manifest);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                    Files.copy(path, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
