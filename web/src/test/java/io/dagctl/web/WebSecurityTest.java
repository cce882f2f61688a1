package io.dagctl.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.security.crypto.bcrypt.BCrypt;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSecurityTest {
    private static final String TOKEN = "token-for-scripts-0123456789";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"");
    private WebFixture web;

    @BeforeAll
    void start() {
        web = new WebFixture(new WebSettings("127.0.0.1", 0, Map.of("alice", BCrypt.hashpw("s3cret-pass",
                BCrypt.gensalt(4))), List.of(TOKEN), Optional.of("a-shared-secret-key")));
    }

    @AfterAll
    void stop() throws InterruptedException {
        web.close();
    }

    @Test
    void refusesToServeAnotherAddressWithoutAuthenticationSayingHowToConfigureIt() {
        assertThatThrownBy(() -> WebSettings.fromEnvironment(Map.of(), "0.0.0.0", 8080))
                .hasMessage("refusing to serve 0.0.0.0 without authentication: anyone who reaches it could trigger"
                        + " and clear runs. Set DAGCTL_WEBSERVER_USERS=name:bcrypt-hash (from htpasswd -nbB name"
                        + " PASSWORD) and DAGCTL_WEBSERVER_SECRET_KEY, or keep --host 127.0.0.1");
    }

    @Test
    void refusesAPasswordThatIsNotABcryptHash() {
        assertThatThrownBy(() -> WebSettings.fromEnvironment(Map.of("DAGCTL_WEBSERVER_USERS", "bob:plain"),
                "127.0.0.1", 8080))
                .hasMessage("the password of user bob in DAGCTL_WEBSERVER_USERS is not a bcrypt hash (make one with:"
                        + " htpasswd -nbB bob PASSWORD)");
    }

    @Test
    void sendsPagesToTheLoginAndTheApiAnswers401WithoutCredentials() {
        HttpResponse<String> page = Http.get(web.url("/"));
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        HttpResponse<String> api = Http.get(web.url("/api/v1/dags"));
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(Http.body(api).get("detail").asText()).isEqualTo("log in, or send an API token as Authorization:"
                + " Bearer TOKEN or a user's password as basic authentication");
    }

    @Test
    void acceptsAnApiTokenAndBasicAuthentication() {
        assertThat(Http.send(HttpRequest.newBuilder(web.url("/api/v1/dags"))
                .header("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(200);
        assertThat(Http.send(HttpRequest.newBuilder(web.url("/api/v1/dags"))
                .header("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
        assertThat(Http.send(HttpRequest.newBuilder(web.url("/api/v1/dags")).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString("alice:s3cret-pass".getBytes(StandardCharsets.UTF_8))))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void logsInWithAnHttpOnlySameSiteCookieAndRefusesAChangeWithoutItsCsrfToken() {
        String cookie = login("alice", "s3cret-pass");
        HttpResponse<String> list = Http.send(HttpRequest.newBuilder(web.url("/")).header("Cookie", cookie));
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("web_fixture");

        HttpResponse<String> withoutToken = Http.send(HttpRequest.newBuilder(web.url("/dags/web_fixture/pause"))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("paused=true")));
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(withoutToken.body()).contains("the request has no valid CSRF token: reload the page and try again");
        HttpResponse<String> jsonWithoutToken = Http.send(HttpRequest.newBuilder(web.url("/api/v1/dags/web_fixture"))
                .header("Cookie", cookie).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"is_paused\": true}")));
        assertThat(jsonWithoutToken.statusCode()).isEqualTo(403);

        String token = csrf(list.body());
        HttpResponse<String> withToken = Http.send(HttpRequest.newBuilder(web.url("/dags/web_fixture/pause"))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("paused=false&csrf_token=" + token)));
        assertThat(withToken.statusCode()).isEqualTo(303);
    }

    @Test
    void slowsDownGuessingAfterFiveFailedLogins() {
        HttpResponse<String> last = null;
        for (int i = 0; i < 6; i++) {
            last = postLogin("mallory", "guess" + i);
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.body()).contains("too many failed logins from this address; try again in ");
        web.server.close();
        web = new WebFixture(new WebSettings("127.0.0.1", 0, Map.of("alice", BCrypt.hashpw("s3cret-pass",
                BCrypt.gensalt(4))), List.of(TOKEN), Optional.of("a-shared-secret-key")));
    }

    @Test
    void answersEveryPageWithAContentSecurityPolicyThatAllowsNoInlineScript() {
        HttpResponse<String> page = Http.get(web.url("/login"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none';"
                        + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).doesNotContain("<script>").doesNotContain(" on");
    }

    private String login(String user, String password) {
        HttpResponse<String> response = postLogin(user, password);
        assertThat(response.statusCode()).isEqualTo(303);
        String setCookie = response.headers().allValues("Set-Cookie").get(response.headers().allValues("Set-Cookie")
                .size() - 1);
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private HttpResponse<String> postLogin(String user, String password) {
        HttpResponse<String> form = Http.get(web.url("/login"));
        String cookie = form.headers().firstValue("Set-Cookie").orElseThrow();
        cookie = cookie.substring(0, cookie.indexOf(';'));
        return Http.send(HttpRequest.newBuilder(web.url("/login")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                        + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&csrf_token="
                        + URLEncoder.encode(csrf(form.body()), StandardCharsets.UTF_8))));
    }

    private static String csrf(String page) {
        Matcher matcher = CSRF.matcher(page);
        assertThat(matcher.find()).as("a CSRF field in " + page).isTrue();
        return matcher.group(1);
    }

}
