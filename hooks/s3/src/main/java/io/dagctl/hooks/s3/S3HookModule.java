package io.dagctl.hooks.s3;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.dagctl.HookFactory;

/** Contributes {@link S3HookFactory} to the hook factories the runtime binds connections with. */
public final class S3HookModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), new TypeLiteral<HookFactory<?>>() {}).addBinding().to(S3HookFactory.class);
    }
}
