package io.dagctl.synthetics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.dagctl.ConnectionUri;
import io.dagctl.HookFactory;
import io.dagctl.Secrets;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticsHookFactoryTest {

    @Test
    void theModuleContributesTheFactoryForTheDefaultConnection() {
        Set<HookFactory<?>> factories = Guice.createInjector(new SyntheticsHookModule())
                .getInstance(Key.get(new TypeLiteral<Set<HookFactory<?>>>() { }));

        assertThat(factories).singleElement().satisfies(f -> {
            assertThat(f.hookType()).isEqualTo(SyntheticsHook.class);
            assertThat(f.defaultConnectionId()).isEqualTo("synthetics_default");
        });
    }

    @Test
    void readsTheServiceTheKeyAndTheExtrasFromTheConnection() {
        SyntheticsHook hook = new SyntheticsHookFactory().create(ConnectionUri.parse("synthetics_default",
                "http://synth.internal:8360/api?api_key=factory-key-1234&project=bookings&max_attempts=2"));

        assertThat(hook.settings().baseUri()).isEqualTo(URI.create("http://synth.internal:8360/api"));
        assertThat(hook.settings().apiKey()).hasValue("factory-key-1234");
        assertThat(hook.settings().project()).isEqualTo("bookings");
        assertThat(hook.settings().maxAttempts()).isEqualTo(2);
        assertThat(Secrets.mask("sent factory-key-1234")).isEqualTo("sent ***");
    }

    @Test
    void rejectsAConnectionThatIsNotHttp() {
        assertThatThrownBy(() -> new SyntheticsHookFactory().create(
                ConnectionUri.parse("synthetics_default", "postgresql://db:5432/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connection 'synthetics_default' has scheme 'postgresql': a synthetics service is reached"
                        + " over http or https");
        assertThatThrownBy(() -> new SyntheticsHookFactory().create(
                ConnectionUri.parse("synth", "http://host:1?max_attempts=many")))
                .hasMessage("connection 'synth' has max_attempts='many': expected a whole number");
    }
}
