package io.dagctl.hooks.postgres;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.dagctl.HookFactory;

/** Contributes {@link PostgresHookFactory} to the set of hook factories the runtime binds hooks from. */
public final class PostgresHookModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), new TypeLiteral<HookFactory<?>>() { })
                .addBinding().to(PostgresHookFactory.class);
    }
}
