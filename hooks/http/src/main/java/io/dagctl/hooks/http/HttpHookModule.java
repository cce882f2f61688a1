package io.dagctl.hooks.http;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.dagctl.HookFactory;

/** Contributes {@link HttpHookFactory} to the hook factories the runtime binds connections with. */
public final class HttpHookModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), new TypeLiteral<HookFactory<?>>() {}).addBinding().to(HttpHookFactory.class);
    }
}
