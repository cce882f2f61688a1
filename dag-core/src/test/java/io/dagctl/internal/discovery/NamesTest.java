package io.dagctl.internal.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void turnsMethodNamesIntoSnakeCaseTaskIds() {
        assertThat(Names.snakeCase("extractFeatures")).isEqualTo("extract_features");
        assertThat(Names.snakeCase("loadS3Key")).isEqualTo("load_s3_key");
        assertThat(Names.snakeCase("parseHTTPResponse")).isEqualTo("parse_http_response");
        assertThat(Names.snakeCase("publish")).isEqualTo("publish");
        assertThat(Names.snakeCase("already_snake")).isEqualTo("already_snake");
    }

    @Test
    void acceptsOnlyLowerSnakeCaseIds() {
        assertThat(Names.isLowerSnakeCase("airbnb_user_bookings")).isTrue();
        assertThat(Names.isLowerSnakeCase("load_s3_key")).isTrue();
        assertThat(Names.isLowerSnakeCase("Bookings")).isFalse();
        assertThat(Names.isLowerSnakeCase("double__underscore")).isFalse();
        assertThat(Names.isLowerSnakeCase("trailing_")).isFalse();
        assertThat(Names.isLowerSnakeCase("3d_model")).isFalse();
    }

    @Test
    void suggestsTheClosestNameOnlyWhenItIsLikelyATypo() {
        List<String> ids = List.of("extract_features", "publish", "clean_up");

        assertThat(Names.closest("extract_featurs", ids)).contains("extract_features");
        assertThat(Names.closest("Publish", ids)).contains("publish");
        assertThat(Names.closest("vacuum_tables", ids)).isEmpty();
    }

    @Test
    void suggestsAValidIdForAnyText() {
        assertThat(Names.suggestedId("task", "Load Orders")).isEqualTo("load_orders");
        assertThat(Names.suggestedId("task", "loadOrders")).isEqualTo("load_orders");
        assertThat(Names.suggestedId("dag", " Broken-Dag! ")).isEqualTo("broken_dag");
        assertThat(Names.suggestedId("task", "2nd pass")).isEqualTo("task_2nd_pass");
        assertThat(Names.suggestedId("task", "--")).isEqualTo("task");
    }
}
