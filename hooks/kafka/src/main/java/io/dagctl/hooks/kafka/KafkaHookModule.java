package io.dagctl.hooks.kafka;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.dagctl.HookFactory;

/** Contributes {@link KafkaHookFactory} to the hook factories the runtime binds connections with. */
public final class KafkaHookModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), new TypeLiteral<HookFactory<?>>() {}).addBinding().to(KafkaHookFactory.class);
    }
}
