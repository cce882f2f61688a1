package io.dagctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.xcom.XComCodec;
import io.dagctl.internal.xcom.XComException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Secrets are masked in every form they are written in, and registered as soon as a connection is read. */
class SecretsTest {
    @Test
    void masksAPasswordWithAQuoteAndABackslashInEveryEncoding() throws Exception {
        String password = "pa\"ss\\word-91c";
        ConnectionUri.parse("quoted_db", "postgresql://app:" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "@db.example:5432/app");
        String json = new ObjectMapper().writeValueAsString(Map.of("password", password));
        String base64 = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));

        assertThat(json).isEqualTo("{\"password\":\"pa\\\"ss\\\\word-91c\"}");
        assertThat(Secrets.mask("raw " + password + " json " + json + " url "
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + " base64 " + base64 + " basic "
                + Base64.getEncoder().encodeToString(("app:" + password).getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("raw *** json {\"password\":\"***\"} url *** base64 *** basic ***");
    }

    @Test
    void xcomRefusesAValueHoldingAPasswordWithAQuoteOrABackslash() {
        String password = "x\"c\\om-secret-5";
        ConnectionUri.parse("xcom_db", "postgresql://app:" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "@db.example/app");

        assertThatThrownBy(() -> new XComCodec().toJson("leak", Map.of("note", "it is " + password)))
                .isInstanceOf(XComException.class)
                .hasMessage("task 'leak' returned a value that contains a secret (a connection password or token);"
                        + " it is not stored in XCom");
        assertThatThrownBy(() -> new XComCodec().toJson("leak", Base64.getEncoder()
                .encodeToString(password.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(XComException.class);
    }

    @Test
    void registersAnHttpConnectionsCredentialHeadersAndTheirBareTokensWhenRead() {
        ConnectionUri.parse("api", "https://api.example/v1/?header.Authorization=Bearer%20tok-ab12cd34ef"
                + "&header.X-Api-Key=hdr-key-77aa&header.Accept=text/csv");

        assertThat(Secrets.mask("401: token tok-ab12cd34ef is expired; key hdr-key-77aa; Accept text/csv"))
                .isEqualTo("401: token *** is expired; key ***; Accept text/csv");
    }

    @Test
    void registersAWebhookUrlItsPathAndItsTokenWhenRead() {
        String url = "https://hooks.slack.com/services/T0WEBHOOK/B0WEBHOOK/whTokenQ8z7y6";
        ConnectionUri slack = ConnectionUri.parse("slack_alerts", url);

        assertThat(Secrets.mask("posting to " + url)).isEqualTo("posting to ***");
        assertThat(Secrets.mask("invalid_token whTokenQ8z7y6")).isEqualTo("invalid_token ***");
        assertThat(slack).hasToString(Secrets.MASK);
    }

    @Test
    void anApiWhosePathMerelyNamesServicesIsNotAWebhook() {
        ConnectionUri.parse("services_api", "https://api.example/services/v2/");

        assertThat(Secrets.mask("GET https://api.example/services/v2/orders failed"))
                .isEqualTo("GET https://api.example/services/v2/orders failed");
    }

    @Test
    void aJdbcUrlsUserInfoBecomesTheDriversCredentialsAndIsNeverShown() {
        StoreLocation location = StoreLocation.fromEnvironment(
                Map.of("DAGCTL_DB_URL", "jdbc:postgresql://meta:jdbc-pw-3141@db.example:5432/dagctl"), Path.of("."));

        assertThat(location.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/dagctl");
        assertThat(location.user()).isEqualTo(Optional.of("meta"));
        assertThat(location.password()).isEqualTo(Optional.of("jdbc-pw-3141"));
        assertThat(Secrets.mask("could not connect to jdbc:postgresql://meta:jdbc-pw-3141@db.example:5432/dagctl"))
                .isEqualTo("could not connect to jdbc:postgresql://meta:***@db.example:5432/dagctl");
    }

    @Test
    void aPasswordTooShortToMaskInTextIsMaskedWhereItIsAWholeValue() {
        ConnectionUri db = ConnectionUri.parse("short_db", "postgresql://app:q7@db.example:5432/app");

        assertThat(db.passwordTooShortToMaskInText()).isTrue();
        assertThat(db).hasToString("postgresql://app:***@db.example:5432/app");
        assertThat(Secrets.maskValue("q7")).isEqualTo("***");
        assertThat(Secrets.mask("{\"name\":\"q7\",\"note\":\"q7 is inside q7x text\"}"))
                .isEqualTo("{\"name\":\"***\",\"note\":\"q7 is inside q7x text\"}");
        assertThatThrownBy(() -> new XComCodec().toJson("leak", "q7"))
                .isInstanceOf(XComException.class)
                .hasMessage("task 'leak' returned a value that contains a secret (a connection password or token);"
                        + " it is not stored in XCom");
        assertThat(new XComCodec().toJson("note", "q7 and more")).isEqualTo("\"q7 and more\"");
    }

    @Test
    void aPasswordLongEnoughIsNotReportedAsTooShort() {
        assertThat(ConnectionUri.parse("long_db", "postgresql://app:four@db.example/app").passwordTooShortToMaskInText())
                .isFalse();
        assertThat(ConnectionUri.parse("no_password_db", "postgresql://app@db.example/app")
                .passwordTooShortToMaskInText()).isFalse();
    }
}
