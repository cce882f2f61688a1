package io.dagctl.synthetics;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.dagctl.HookFactory;

/** Contributes {@link SyntheticsHookFactory} to the hook factories the runtime binds connections with. */
public final class SyntheticsHookModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), new TypeLiteral<HookFactory<?>>() {}).addBinding()
                .to(SyntheticsHookFactory.class);
    }
}
