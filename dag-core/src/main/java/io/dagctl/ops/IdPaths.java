package io.dagctl.ops;

import java.nio.file.Path;
import java.util.List;

/**
 * The one way to build a file path or an object-store key from identifiers: each segment must be one non-empty
 * name (no separator, no {@code .} or {@code ..}, no NUL), so that no id, however it entered, can lead outside the
 * root.
 */
public final class IdPaths {
    private IdPaths() {
    }

    /** {@code root/segment/...}, refused when it would not lie strictly inside {@code root}. */
    public static Path under(Path root, String... segments) {
        Path path = root.resolve(relative(segments));
        Path normalRoot = root.toAbsolutePath().normalize();
        Path normalPath = path.toAbsolutePath().normalize();
        if (!normalPath.startsWith(normalRoot) || normalPath.equals(normalRoot)) {
            throw new IllegalArgumentException("the path " + normalPath + " leaves " + normalRoot);
        }
        return path;
    }

    /** {@code segment/segment/...}, for a key under an object-store prefix. */
    public static String relative(String... segments) {
        if (segments.length == 0) {
            throw new IllegalArgumentException("a path needs at least one segment");
        }
        for (String segment : segments) {
            if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("path segment " + Ids.shown(segment)
                        + " is not one name: it is empty, . or .., or holds / \\ or NUL");
            }
        }
        return String.join("/", List.of(segments));
    }
}
