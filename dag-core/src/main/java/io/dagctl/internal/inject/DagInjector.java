package io.dagctl.internal.inject;

import com.google.inject.AbstractModule;
import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.OutOfScopeException;
import com.google.inject.Provider;
import com.google.inject.ProvisionException;
import com.google.inject.Scope;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.spi.Message;
import io.dagctl.Connection;
import io.dagctl.Connections;
import io.dagctl.FailWithoutRetryException;
import io.dagctl.HookFactory;
import io.dagctl.Secrets;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the injector a DAG instance and its notifiers come from: the user's modules, and in a child injector, one
 * binding per hook the DAG's {@code @Inject} constructor asks for ({@code @Connection("id") H} or plain {@code H}),
 * made by the {@link HookFactory} for {@code H} from the named connection or the factory's default one. Bindings
 * the user's modules already make (a fake hook, say) win. One injector serves every run of a DAG class; the hooks it
 * makes are scoped to a run: {@link #instance(Injector, Class, RunHooks)} makes them into the run's
 * {@link RunHooks}, shared by what the run asks for, and whoever runs the run ends their life with
 * {@link RunHooks#close()}.
 */
public final class DagInjector {
    private static final Logger LOG = LoggerFactory.getLogger(DagInjector.class);

    /** The set hook modules add their factories to: {@code Multibinder.newSetBinder(binder(), HOOK_FACTORIES)}. */
    public static final TypeLiteral<HookFactory<?>> HOOK_FACTORIES = new TypeLiteral<>() { };

    private DagInjector() {
    }

    /**
     * The hook modules on the class path of {@code loader}: each hook jar announces its module as a
     * {@code com.google.inject.Module} service, so a DAG asking for its hook needs no module of its own.
     */
    public static List<Module> hookModules(ClassLoader loader) {
        List<Module> found = new ArrayList<>();
        ServiceLoader.load(Module.class, loader).forEach(found::add);
        return found;
    }

    /**
     * The injector for {@code dagClass}. {@code connections} serve hooks unless the modules bind
     * {@link Connections} themselves.
     */
    public static Injector create(Class<?> dagClass, List<? extends Module> modules, Connections connections) {
        try {
            return createUnwrapped(dagClass, modules, connections);
        } catch (CreationException e) {
            throw causeOf(e.getErrorMessages(), e);
        }
    }

    /**
     * The instance of {@code type} for a run, its hooks made into {@code hooks} (or taken from there when the run
     * made them already), or the failure that kept Guice from making it, unwrapped: Guice's "Unable to provision,
     * see the following errors" names only itself. A connection that does not fit its hook (an
     * {@link IllegalArgumentException} or {@link IllegalStateException} from a hook factory) cannot be fixed by
     * another try, so it fails without retry.
     */
    public static <T> T instance(Injector injector, Class<T> type, RunHooks hooks) {
        RunHooks outer = CURRENT_RUN.get();
        CURRENT_RUN.set(hooks);
        try {
            return injector.getInstance(type);
        } catch (ProvisionException e) {
            throw causeOf(e.getErrorMessages(), e);
        } catch (ConfigurationException e) {
            throw causeOf(e.getErrorMessages(), e);
        } finally {
            if (outer == null) {
                CURRENT_RUN.remove();
            } else {
                CURRENT_RUN.set(outer);
            }
        }
    }

    private static RuntimeException causeOf(Collection<Message> errors, RuntimeException wrapper) {
        Throwable cause = errors.stream().map(Message::getCause).filter(Objects::nonNull).findFirst().orElse(null);
        if (cause == null) {
            String messages = errors.stream().map(Message::getMessage).collect(Collectors.joining("; "));
            return new FailWithoutRetryException(Secrets.mask(messages), wrapper);
        }
        while ((cause instanceof ProvisionException || cause instanceof InvocationTargetException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
            return new FailWithoutRetryException(Secrets.mask(cause.getMessage()), cause);
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause.toString(), cause);
    }

    private static Injector createUnwrapped(Class<?> dagClass, List<? extends Module> modules,
            Connections connections) {
        Injector parent = parent(modules);
        boolean connectionsBound = parent.getExistingBinding(Key.get(Connections.class)) != null;
        Connections effective = connectionsBound ? parent.getInstance(Connections.class) : connections;
        Map<Key<?>, Module> hookBindings = new LinkedHashMap<>();
        hooks(dagClass, parent).forEach(hook -> hookBindings.put(hook.key(),
                hookBinding(hook.key(), hook.factory(), hook.connectionId(), effective, dagClass)));
        return parent.createChildInjector(new AbstractModule() {
            @Override
            protected void configure() {
                if (!connectionsBound) {
                    bind(Connections.class).toInstance(connections);
                }
                hookBindings.values().forEach(this::install);
            }
        });
    }

    /**
     * The ids of the connections the hooks of {@code dagClass}'s constructor are made from (hooks the modules bind
     * themselves excepted), so that what serves them can start before the first task does.
     */
    public static Set<String> connectionIds(Class<?> dagClass, List<? extends Module> modules) {
        Set<String> ids = new LinkedHashSet<>();
        hooks(dagClass, parent(modules)).forEach(hook -> ids.add(hook.connectionId()));
        return ids;
    }

    /** A hook the DAG's constructor takes, made by {@code factory} from connection {@code connectionId}. */
    private record Hook(Key<?> key, HookFactory<?> factory, String connectionId) {
    }

    private static Injector parent(List<? extends Module> modules) {
        List<Module> all = new ArrayList<>(modules);
        all.add(binder -> Multibinder.newSetBinder(binder, HOOK_FACTORIES));
        return Guice.createInjector(all);
    }

    private static List<Hook> hooks(Class<?> dagClass, Injector parent) {
        Set<HookFactory<?>> factories = parent.getInstance(setOf());
        Map<Key<?>, Hook> hooks = new LinkedHashMap<>();
        for (Parameter parameter : injectConstructor(dagClass).map(Constructor::getParameters)
                .orElse(new Parameter[0])) {
            Optional<Connection> connection = Optional.ofNullable(parameter.getAnnotation(Connection.class));
            Key<?> key = keyOf(parameter, connection);
            if (parent.getExistingBinding(key) != null || hooks.containsKey(key)) {
                continue;
            }
            factoryFor(parameter.getType(), factories).ifPresent(factory -> hooks.put(key, new Hook(key, factory,
                    connection.map(Connection::value).orElse(factory.defaultConnectionId()))));
        }
        return List.copyOf(hooks.values());
    }

    @SuppressWarnings("unchecked")
    private static Key<Set<HookFactory<?>>> setOf() {
        return (Key<Set<HookFactory<?>>>) Key.get(com.google.inject.util.Types.setOf(HOOK_FACTORIES.getType()));
    }

    private static Optional<Constructor<?>> injectConstructor(Class<?> dagClass) {
        return Arrays.stream(dagClass.getDeclaredConstructors())
                .filter(c -> c.isAnnotationPresent(jakarta.inject.Inject.class)
                        || c.isAnnotationPresent(com.google.inject.Inject.class))
                .findFirst();
    }

    private static Key<?> keyOf(Parameter parameter, Optional<Connection> connection) {
        TypeLiteral<?> type = TypeLiteral.get(parameter.getParameterizedType());
        Optional<Annotation> qualifier = connection.map(Annotation.class::cast);
        return qualifier.<Key<?>>map(q -> Key.get(type, q)).orElseGet(() -> Key.get(type));
    }

    private static Optional<HookFactory<?>> factoryFor(Class<?> type, Set<HookFactory<?>> factories) {
        return factories.stream().filter(f -> f.hookType().equals(type)).findFirst();
    }

    private static <H> Module hookBinding(Key<?> key, HookFactory<H> factory, String connectionId,
            Connections connections, Class<?> dagClass) {
        @SuppressWarnings("unchecked")
        Key<H> hookKey = (Key<H>) key;
        return binder -> binder.bind(hookKey).toProvider(() -> {
            try {
                return factory.create(connections.get(connectionId));
            } catch (IllegalStateException e) {
                throw new IllegalStateException(dagClass.getSimpleName() + " needs a "
                        + factory.hookType().getSimpleName() + ": " + e.getMessage(), e);
            }
        }).in(RUN_SCOPE);
    }

    /** The run whose instances the calling thread is making, for {@link #RUN_SCOPE}. */
    private static final ThreadLocal<RunHooks> CURRENT_RUN = new ThreadLocal<>();

    /** One hook per key and run: the run's {@link RunHooks} keeps what its instances were given. */
    private static final Scope RUN_SCOPE = new Scope() {
        @Override
        public <T> Provider<T> scope(Key<T> key, Provider<T> unscoped) {
            return () -> {
                RunHooks hooks = CURRENT_RUN.get();
                if (hooks == null) {
                    throw new OutOfScopeException("hook " + key + " is made for a run, and none is making instances");
                }
                return hooks.get(key, unscoped);
            };
        }

        @Override
        public String toString() {
            return "RunScope";
        }
    };

    /**
     * The hooks made for one run (a Kafka producer, an S3 client), in the order they were made: their producers,
     * clients and threads must not outlive the run. Hooks the user's modules bind are theirs to close.
     */
    public static final class RunHooks implements AutoCloseable {
        private final Map<Key<?>, Object> byKey = new LinkedHashMap<>();

        synchronized <T> T get(Key<T> key, Provider<T> unscoped) {
            @SuppressWarnings("unchecked")
            T made = (T) byKey.get(key);
            if (made == null) {
                made = unscoped.get();
                byKey.put(key, made);
            }
            return made;
        }

        /**
         * Closes the hooks made so far, the last made first, and forgets them, so that a later try of the run makes
         * new ones. A hook that fails to close is logged; the others are closed all the same.
         */
        @Override
        public void close() {
            List<Object> hooks;
            synchronized (this) {
                hooks = List.copyOf(byKey.values());
                byKey.clear();
            }
            for (int i = hooks.size() - 1; i >= 0; i--) {
                if (hooks.get(i) instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        LOG.warn("Could not close {}: {}", closeable.getClass().getSimpleName(),
                                Secrets.mask(String.valueOf(e.getMessage())), e);
                    }
                }
            }
        }
    }
}
