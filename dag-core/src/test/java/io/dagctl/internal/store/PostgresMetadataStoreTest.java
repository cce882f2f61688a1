package io.dagctl.internal.store;

import io.dagctl.embedded.testing.SharedPostgres;
import java.nio.file.Path;
import java.util.Map;

/** The same contract on a real PostgreSQL, reached through a {@code DAGCTL_DB_URL} URI. */
class PostgresMetadataStoreTest extends MetadataStoreContract {
    @Override
    MetadataStore openStore() {
        String uri = SharedPostgres.freshDatabase("metadata");
        return MetadataStore.open(StoreLocation.fromEnvironment(Map.of(StoreLocation.DB_URL_VARIABLE, uri), Path.of(".")));
    }
}
