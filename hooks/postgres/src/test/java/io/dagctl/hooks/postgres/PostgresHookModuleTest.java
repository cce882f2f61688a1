package io.dagctl.hooks.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.dagctl.ConnectionUri;
import io.dagctl.HookFactory;
import io.dagctl.embedded.testing.SharedPostgres;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PostgresHookModuleTest {
    @Test
    void contributesAFactoryThatMakesWorkingHooksForTheDefaultConnection() {
        Set<HookFactory<?>> factories = Guice.createInjector(new PostgresHookModule())
                .getInstance(Key.get(new TypeLiteral<Set<HookFactory<?>>>() { }));

        assertThat(factories).singleElement().isInstanceOf(PostgresHookFactory.class);
        HookFactory<?> factory = factories.iterator().next();
        assertThat(factory.hookType()).isEqualTo(PostgresHook.class);
        assertThat(factory.defaultConnectionId()).isEqualTo("postgres_default");

        PostgresHook hook = (PostgresHook) factory.create(
                ConnectionUri.parse("postgres_default", SharedPostgres.freshDatabase("module")));
        String database = hook.jdbi().withHandle(
                h -> h.createQuery("SELECT current_database()").mapTo(String.class).one());
        assertThat(database).startsWith("module_");
    }
}
