package io.dagctl.hooks.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.dagctl.ConnectionUri;
import io.dagctl.HookFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;

class S3HookFactoryTest {
    private final S3HookFactory factory = new S3HookFactory();

    private S3Hook create(String uri) {
        return factory.create(ConnectionUri.parse("lake", uri));
    }

    @Test
    void theDefaultBucketIsTheHostOfTheUri() {
        try (S3Hook s3 = create("s3://AKID:s3cr3tKey@lake-bucket?endpoint=http://127.0.0.1:9&region=eu-west-1")) {
            assertThat(s3.key("a/b.csv")).isEqualTo(new S3Key("lake-bucket", "a/b.csv"));
        }
    }

    @Test
    void withoutADefaultBucketAKeyNeedsItsBucket() {
        try (S3Hook s3 = create("s3://AKID:s3cr3tKey@?endpoint=http://127.0.0.1:9")) {
            assertThatThrownBy(() -> s3.key("a.csv")).hasMessage("connection 'lake' names no default bucket: give it as "
                    + "the host, s3://key:secret@bucket, or use new S3Key(bucket, key)");
        }
    }

    @Test
    void refusesAConnectionOfAnotherScheme() {
        assertThatThrownBy(() -> create("postgresql://u:p@db:5432/x"))
                .hasMessage("connection 'lake' has scheme 'postgresql', but an S3 connection needs "
                        + "s3://[access_key:secret_key@][default_bucket][?endpoint=...]");
    }

    @Test
    void refusesAPartSizeS3WouldReject() {
        assertThatThrownBy(() -> create("s3://AKID:s3cr3tKey@b?endpoint=http://127.0.0.1:9&part_size_mib=4"))
                .hasMessage("connection 'lake': part_size_mib=4 is not a whole number between 5 and 512");
    }

    @Test
    void theModuleContributesTheFactoryForTheDefaultConnection() {
        Set<HookFactory<?>> factories = Guice.createInjector(new S3HookModule())
                .getInstance(Key.get(new TypeLiteral<Set<HookFactory<?>>>() {}));

        assertThat(factories).singleElement().satisfies(f -> {
            assertThat(f.hookType()).isEqualTo(S3Hook.class);
            assertThat(f.defaultConnectionId()).isEqualTo("s3_default");
        });
    }
}
