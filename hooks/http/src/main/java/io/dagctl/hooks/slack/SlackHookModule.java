package io.dagctl.hooks.slack;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.dagctl.HookFactory;

/** Contributes {@link SlackHookFactory} to the hook factories the runtime binds connections with. */
public final class SlackHookModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), new TypeLiteral<HookFactory<?>>() {}).addBinding().to(SlackHookFactory.class);
    }
}
