package io.dagctl.spec;

import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.Secrets;
import io.dagctl.internal.discovery.DefinitionRules;
import io.dagctl.internal.discovery.Names;
import io.dagctl.internal.discovery.ParamType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run parameters a DAG declares: its params record and each component. {@link #bind} turns the text a user
 * gives ({@code -p startDate=2011-03-01}) into the validated record, before any run is created.
 */
public record ParamsSpec(String dagId, Class<? extends Record> type, List<ParamSpec> params) {

    /** {@code scheme://login:password@}: the password, as typed. */
    private static final Pattern URL_PASSWORD = Pattern.compile("^\\s*[A-Za-z][A-Za-z0-9+.-]*://[^/@:?#]*:([^/@?#]+)@");

    public ParamsSpec {
        params = List.copyOf(params);
    }

    /** A spec made by hand rather than read from a DAG class; its messages name no DAG. */
    public ParamsSpec(Class<? extends Record> type, List<ParamSpec> params) {
        this("", type, params);
    }

    /** One component: its name, type, default (in text form) and description. */
    public record ParamSpec(String name, Class<?> type, Optional<String> defaultValue, String description) {
    }

    /**
     * The params record for these values (defaults filled in), or an {@link IllegalArgumentException} naming the
     * parameter and the problem: unknown name (with the closest match), missing required value, a value that does
     * not parse as the type, or the record's own validation.
     */
    public Record bind(Map<String, String> values) {
        Map<String, String> complete = withDefaults(values);
        Object[] arguments = new Object[params.size()];
        Class<?>[] types = new Class<?>[params.size()];
        for (int i = 0; i < params.size(); i++) {
            ParamSpec param = params.get(i);
            String text = complete.get(param.name());
            if (text == null) {
                throw new IllegalArgumentException("param '" + param.name() + "' is required");
            }
            refusePassword(param, text);
            types[i] = param.type();
            arguments[i] = parse(param, text);
        }
        return construct(types, arguments);
    }

    /** The text values {@link #bind} would use: the given ones plus the defaults, in declaration order. */
    public Map<String, String> withDefaults(Map<String, String> values) {
        List<String> names = params.stream().map(ParamSpec::name).toList();
        for (String name : values.keySet()) {
            if (!names.contains(name)) {
                String dag = dagId.isEmpty() ? "" : " for DAG " + dagId;
                throw new IllegalArgumentException("unknown param '" + name + "'" + dag + hint(name, names));
            }
        }
        Map<String, String> complete = new LinkedHashMap<>();
        for (ParamSpec param : params) {
            String text = values.containsKey(param.name()) ? values.get(param.name()) : param.defaultValue().orElse(null);
            if (text != null) {
                complete.put(param.name(), text);
            }
        }
        return complete;
    }

    private String owner() {
        return dagId.isEmpty() ? "params" : "params of DAG " + dagId;
    }

    private static String hint(String name, List<String> names) {
        if (names.isEmpty()) {
            return " (it takes no params)";
        }
        return Names.closest(name, names).map(closest -> " (did you mean '" + closest + "'?)")
                .orElseGet(() -> " (its params are " + String.join(", ", names) + ")");
    }

    /**
     * Params are stored with the run and printed by {@code dagctl status}, so a URL's password has no place in one;
     * it is masked in the refusal, and the connection its host is reached through carries credentials instead.
     */
    private void refusePassword(ParamSpec param, String text) {
        Matcher userInfo = URL_PASSWORD.matcher(text);
        if (userInfo.find()) {
            Secrets.register(userInfo.group(1));
            Secrets.register(ConnectionUri.decodeUserInfo(userInfo.group(1)));
            throw new IllegalArgumentException(owner() + ": param '" + param.name() + "' holds a password ("
                    + Secrets.mask(text) + "); params are stored with the run and shown by dagctl status: give the"
                    + " URL without it, and the credentials in the connection that reaches its host ("
                    + Connections.ENV_PREFIX + "<ID>)");
        }
    }

    private static Object parse(ParamSpec param, String text) {
        ParamType paramType = ParamType.of(param.type().getName(), param.type().isEnum()).orElseThrow(
                () -> new IllegalStateException("param '" + param.name() + "' has unsupported type "
                        + param.type().getSimpleName()));
        try {
            return paramType.parse(text, enumConstant(param.type()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("param '" + param.name() + "': " + e.getMessage(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Function<String, Object> enumConstant(Class<?> type) {
        if (!type.isEnum()) {
            return name -> {
                throw new IllegalStateException(type + " is not an enum");
            };
        }
        List<String> names = Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
        return DefinitionRules.enumConstant(names, name -> Enum.valueOf((Class) type, name));
    }

    private Record construct(Class<?>[] types, Object[] arguments) {
        try {
            Constructor<? extends Record> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw new IllegalArgumentException(owner() + ": " + invalid.getMessage(), invalid);
            }
            throw new IllegalStateException(owner() + ": the constructor of "
                    + type.getSimpleName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(owner() + ": cannot construct " + type.getName(), e);
        }
    }
}
