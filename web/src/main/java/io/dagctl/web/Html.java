package io.dagctl.web;

import io.dagctl.Secrets;

/** Text for HTML: every value shown passes through {@link #text}, already masked. */
final class Html {
    private Html() {
    }

    /** Escaped for an element's content and a quoted attribute alike. */
    static String text(Object value) {
        String masked = Secrets.mask(String.valueOf(value));
        StringBuilder escaped = new StringBuilder(masked.length() + 16);
        for (int i = 0; i < masked.length(); i++) {
            char c = masked.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A path segment of a link built from an id. */
    static String segment(String id) {
        return text(java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }
}
