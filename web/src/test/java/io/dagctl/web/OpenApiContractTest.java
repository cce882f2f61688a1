package io.dagctl.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.internal.discovery.DagDiscovery;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every documented GET answers what {@code /api/v1/openapi.json} says it answers: each live response is checked
 * against the schema of its path and status (types, required fields, nullability, enums), errors included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest {
    private WebFixture web;
    private JsonNode document;

    @BeforeAll
    void start() throws InterruptedException {
        // One import error and one connection, so that their items are checked too.
        web = new WebFixture(WebFixture.local(), List.of(DagDiscovery.load(WebFixtureDag.class),
                DagDiscovery.load(WebScheduledDag.class)), List.of(new DagDiscovery.ImportError("io.dagctl.web.Gone",
                Optional.empty(), "io.dagctl.web.Gone cannot be loaded")), Map.of("DAGCTL_CONN_CONTRACT_DB",
                "postgresql://contract:contract-pass@db.example.com:5432/contract"));
        Http.json("POST", web.url("/api/v1/dags/web_fixture/dagRuns"), "{\"dag_run_id\": \"contract\"}");
        Http.json("POST", web.url("/api/v1/pools"), "{\"name\": \"contract_pool\", \"slots\": 3}");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!web.operations.findRun("web_fixture", "contract").state().isFinished()
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        document = Http.body(Http.get(web.url("/api/v1/openapi.json")));
    }

    @AfterAll
    void stop() throws InterruptedException {
        web.close();
    }

    @Test
    void servesAnOpenApi3Document() {
        assertThat(document.get("openapi").asText()).startsWith("3.");
        assertThat(document.get("paths").has("/dags/{dag_id}/dagRuns")).isTrue();
    }

    @Test
    void everyDocumentedGetAnswersItsSchema() {
        Map<String, String> live = Map.ofEntries(
                Map.entry("/dags", "/dags"),
                Map.entry("/dags/{dag_id}", "/dags/web_fixture"),
                Map.entry("/dags/{dag_id}/dagRuns", "/dags/web_fixture/dagRuns"),
                Map.entry("/dags/{dag_id}/dagRuns/{dag_run_id}", "/dags/web_fixture/dagRuns/contract"),
                Map.entry("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances",
                        "/dags/web_fixture/dagRuns/contract/taskInstances"),
                Map.entry("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}",
                        "/dags/web_fixture/dagRuns/contract/taskInstances/extract"),
                Map.entry("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}",
                        "/dags/web_fixture/dagRuns/contract/taskInstances/extract/logs/1"),
                Map.entry("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries",
                        "/dags/web_fixture/dagRuns/contract/taskInstances/load/xcomEntries"),
                Map.entry("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries/{xcom_key}",
                        "/dags/web_fixture/dagRuns/contract/taskInstances/load/xcomEntries/return_value"),
                Map.entry("/pools", "/pools"),
                Map.entry("/connections", "/connections"),
                Map.entry("/importErrors", "/importErrors"),
                Map.entry("/pools/{pool_name}", "/pools/contract_pool"));
        List<String> documented = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(p -> {
            if (p.getValue().has("get")) {
                documented.add(p.getKey());
            }
        });
        assertThat(live.keySet()).containsExactlyInAnyOrderElementsOf(documented);
        live.forEach((template, path) -> assertAnswersSchema(template, "get", path));
    }

    @Test
    void errorsAnswerTheProblemSchema() {
        HttpResponse<String> response = Http.get(web.url("/api/v1/dags/nope/dagRuns"));
        assertThat(response.statusCode()).isEqualTo(404);
        List<String> problems = new ArrayList<>();
        validate(Http.body(response), schema(document.at("/paths/~1dags~1{dag_id}~1dagRuns/get/responses/404")
                .get("content").get("application/problem+json").get("schema")), "$", problems);
        assertThat(problems).isEmpty();
    }

    private void assertAnswersSchema(String template, String method, String path) {
        HttpResponse<String> response = Http.get(web.url("/api/v1" + path));
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        JsonNode declared = document.get("paths").get(template).get(method).get("responses").get("200")
                .get("content").get("application/json").get("schema");
        List<String> problems = new ArrayList<>();
        validate(Http.body(response), schema(declared), "$", problems);
        assertThat(problems).as(path).isEmpty();
    }

    private JsonNode schema(JsonNode schema) {
        if (schema.has("$ref")) {
            return document.at(schema.get("$ref").asText().substring(1));
        }
        return schema;
    }

    /** The subset of OpenAPI 3.0 schemas the document uses: type, required, properties, items, allOf, enum, nullable. */
    private void validate(JsonNode value, JsonNode schemaOrRef, String at, List<String> problems) {
        validate(value, schemaOrRef, at, problems, Set.of());
    }

    /** {@code alsoDocumented}: the fields the other parts of an allOf document. */
    private void validate(JsonNode value, JsonNode schemaOrRef, String at, List<String> problems,
            Set<String> alsoDocumented) {
        JsonNode schema = schema(schemaOrRef);
        if (schema.has("allOf")) {
            Set<String> documented = new HashSet<>();
            schema.get("allOf").forEach(part -> schema(part).path("properties").fieldNames()
                    .forEachRemaining(documented::add));
            schema.get("allOf").forEach(part -> validate(value, part, at, problems, documented));
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(at + " is null but not nullable");
            }
            return;
        }
        String type = schema.path("type").asText("");
        boolean typed = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
        if (!typed) {
            problems.add(at + " is " + value.getNodeType() + ", not " + type);
            return;
        }
        if (schema.has("enum")) {
            List<String> allowed = new ArrayList<>();
            schema.get("enum").forEach(e -> allowed.add(e.asText()));
            if (!allowed.contains(value.asText())) {
                problems.add(at + " is " + value + ", not one of " + allowed);
            }
        }
        if (schema.has("required")) {
            schema.get("required").forEach(r -> {
                if (!value.has(r.asText())) {
                    problems.add(at + " lacks " + r.asText());
                }
            });
        }
        if (schema.has("properties")) {
            Iterator<Map.Entry<String, JsonNode>> properties = schema.get("properties").fields();
            while (properties.hasNext()) {
                Map.Entry<String, JsonNode> property = properties.next();
                if (value.has(property.getKey())) {
                    validate(value.get(property.getKey()), property.getValue(), at + "." + property.getKey(), problems);
                }
            }
            if (type.equals("object") && !schema.has("additionalProperties")) {
                value.fieldNames().forEachRemaining(name -> {
                    if (!schema.get("properties").has(name) && !alsoDocumented.contains(name)) {
                        problems.add(at + "." + name + " is not documented");
                    }
                });
            }
        }
        if (schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(value.get(i), schema.get("items"), at + "[" + i + "]", problems);
            }
        }
    }
}
