package io.dagctl.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Loads, without initializing them, the classes of the PostgreSQL driver and of HikariCP, the pool in front of it,
 * for the launcher to record in its class-data archive: the launcher records the commands in a scratch home on H2,
 * with no PostgreSQL to connect to, and a command on PostgreSQL read about 250 of them from the jars.
 */
public final class ClassDataRecordingPostgres {
    /** A class of each jar whose classes are recorded. */
    private static final List<String> ONE_CLASS_OF_EACH_JAR = List.of("org.postgresql.Driver",
            "com.zaxxer.hikari.HikariDataSource");

    private static final Pattern VERSIONED = Pattern.compile("^META-INF/versions/\\d+/");

    private ClassDataRecordingPostgres() {
    }

    public static void main(String[] args) throws IOException, URISyntaxException, ClassNotFoundException {
        ClassLoader loader = ClassDataRecordingPostgres.class.getClassLoader();
        for (String className : ONE_CLASS_OF_EACH_JAR) {
            Path jar = Path.of(Class.forName(className, false, loader).getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            try (JarFile classes = new JarFile(jar.toFile())) {
                for (JarEntry entry : Collections.list(classes.entries())) {
                    load(entry.getName(), loader);
                }
            }
        }
    }

    private static void load(String entry, ClassLoader loader) {
        // A multi-release jar's classes for later Java versions load under their plain names; module-info and
        // package-info are no classes.
        String path = VERSIONED.matcher(entry).replaceFirst("");
        if (!path.endsWith(".class") || path.contains("-") || path.startsWith("META-INF/")) {
            return;
        }
        try {
            Class.forName(path.substring(0, path.length() - ".class".length()).replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError optionalDependencyMissing) {
            // A class of an optional feature whose library dagctl does not ship (the driver's Windows SSPI, OSGi).
        }
    }
}
