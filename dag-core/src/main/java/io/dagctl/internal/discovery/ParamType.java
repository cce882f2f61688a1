package io.dagctl.internal.discovery;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The types a params record component may have, and how each is read from its text form ({@code -p name=value},
 * {@code @Param(defaultValue)}). The processor checks defaults with the same parsing the runtime uses.
 */
public enum ParamType {
    STRING, BOOLEAN, INT, LONG, DOUBLE, LOCAL_DATE, LOCAL_DATE_TIME, INSTANT, DURATION, URI, ENUM;

    /** What {@code -p} accepts, for messages. */
    public static final String SUPPORTED = "String, boolean, int, long, double (or their boxes), LocalDate, "
            + "LocalDateTime, Instant, Duration, URI or an enum";

    /** The type of a component declared as {@code type}, by its qualified name or primitive keyword. */
    public static Optional<ParamType> of(String qualifiedName, boolean isEnum) {
        if (isEnum) {
            return Optional.of(ENUM);
        }
        return Optional.ofNullable(switch (qualifiedName) {
            case "java.lang.String" -> STRING;
            case "boolean", "java.lang.Boolean" -> BOOLEAN;
            case "int", "java.lang.Integer" -> INT;
            case "long", "java.lang.Long" -> LONG;
            case "double", "java.lang.Double" -> DOUBLE;
            case "java.time.LocalDate" -> LOCAL_DATE;
            case "java.time.LocalDateTime" -> LOCAL_DATE_TIME;
            case "java.time.Instant" -> INSTANT;
            case "java.time.Duration" -> DURATION;
            case "java.net.URI" -> URI;
            default -> null;
        });
    }

    /**
     * The value of {@code text}; {@code enumConstant} turns a name into the constant or throws. Throws
     * {@link IllegalArgumentException} saying what the text is not, e.g. {@code '2011-13-01' is not a date (yyyy-MM-dd)}.
     */
    public Object parse(String text, Function<String, Object> enumConstant) {
        try {
            return switch (this) {
                case STRING -> text;
                case BOOLEAN -> parseBoolean(text);
                case INT -> Integer.parseInt(text.strip());
                case LONG -> Long.parseLong(text.strip());
                case DOUBLE -> Double.parseDouble(text.strip());
                case LOCAL_DATE -> LocalDate.parse(text.strip());
                case LOCAL_DATE_TIME -> LocalDateTime.parse(text.strip());
                case INSTANT -> Instant.parse(text.strip());
                case DURATION -> Duration.parse(text.strip());
                case URI -> new URI(text.strip());
                case ENUM -> enumConstant.apply(text.strip());
            };
        } catch (NumberFormatException | DateTimeParseException | URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + expected());
        }
    }

    private String expected() {
        return switch (this) {
            case STRING, ENUM -> throw new IllegalStateException("text always parses as " + this);
            case BOOLEAN -> "a boolean (true or false)";
            case INT -> "an int";
            case LONG -> "a long";
            case DOUBLE -> "a number";
            case LOCAL_DATE -> "a date (yyyy-MM-dd)";
            case LOCAL_DATE_TIME -> "a date-time (yyyy-MM-ddTHH:mm:ss)";
            case INSTANT -> "an instant (yyyy-MM-ddTHH:mm:ssZ)";
            case DURATION -> "an ISO-8601 duration (e.g. PT30M)";
            case URI -> "a URI";
        };
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new NumberFormatException(text);
        };
    }
}
