package io.dagctl.internal.schedule;

import io.dagctl.embedded.testing.SharedPostgres;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import java.nio.file.Path;
import java.util.Map;

/** The scheduler's tests on a real PostgreSQL: its unique keys, identity column and queries in that dialect. */
class PostgresSchedulerTest extends SchedulerTest {
    @Override
    MetadataStore openMetadata() {
        String uri = SharedPostgres.freshDatabase("scheduler");
        return MetadataStore.open(StoreLocation.fromEnvironment(Map.of(StoreLocation.DB_URL_VARIABLE, uri), Path.of(".")));
    }
}
