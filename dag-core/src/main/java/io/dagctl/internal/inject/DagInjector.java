package io.dagctl.internal.inject;

import com.google.inject.AbstractModule;
import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Scopes;
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
 * the user's modules already make (a fake hook, say) win. The hooks it makes live as long as the injector: whoever
 * made it ends their life with {@link #closeHooks(Injector)}.
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
     * The instance of {@code type}, or the failure that kept Guice from making it, unwrapped: Guice's "Unable to
     * provision, see the following errors" names only itself. A connection that does not fit its hook (an
     * {@link IllegalArgumentException} or {@link IllegalStateException} from a hook factory) cannot be fixed by
     * another try, so it fails without retry.
     */
    public static <T> T instance(Injector injector, Class<T> type) {
        try {
            return injector.getInstance(type);
        } catch (ProvisionException e) {
            throw causeOf(e.getErrorMessages(), e);
        } catch (ConfigurationException e) {
            throw causeOf(e.getErrorMessages(), e);
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
        MadeHooks made = new MadeHooks();
        hooks(dagClass, parent).forEach(hook -> hookBindings.put(hook.key(),
                hookBinding(hook.key(), hook.factory(), hook.connectionId(), effective, dagClass, made)));
        return parent.createChildInjector(new AbstractModule() {
            @Override
            protected void configure() {
                if (!connectionsBound) {
                    bind(Connections.class).toInstance(connections);
                }
                bind(MadeHooks.class).toInstance(made);
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
            Connections connections, Class<?> dagClass, MadeHooks made) {
        @SuppressWarnings("unchecked")
        Key<H> hookKey = (Key<H>) key;
        return binder -> binder.bind(hookKey).toProvider(() -> {
            try {
                return made.add(factory.create(connections.get(connectionId)));
            } catch (IllegalStateException e) {
                throw new IllegalStateException(dagClass.getSimpleName() + " needs a "
                        + factory.hookType().getSimpleName() + ": " + e.getMessage(), e);
            }
        }).in(Scopes.SINGLETON);
    }

    /**
     * Closes the hooks {@code injector} (made by {@link #create}) has made so far, the last made first, and forgets
     * them: their producers, clients and threads must not outlive the run they were made for. A hook that fails to
     * close is logged; the others are closed all the same. Hooks the user's modules bind are theirs to close.
     */
    public static void closeHooks(Injector injector) {
        var binding = injector.getExistingBinding(Key.get(MadeHooks.class));
        if (binding == null) {
            return;
        }
        List<Object> hooks = binding.getProvider().get().takeAll();
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

    /** The hooks one injector has made, in the order it made them. */
    private static final class MadeHooks {
        private final List<Object> hooks = new ArrayList<>();

        synchronized <H> H add(H hook) {
            hooks.add(hook);
            return hook;
        }

        synchronized List<Object> takeAll() {
            List<Object> all = List.copyOf(hooks);
            hooks.clear();
            return all;
        }
    }
}
