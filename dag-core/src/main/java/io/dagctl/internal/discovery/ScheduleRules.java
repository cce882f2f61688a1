package io.dagctl.internal.discovery;

import io.dagctl.OnAssetUpdates;
import io.dagctl.OnKafkaRecords;
import io.dagctl.OnNewObjects;
import io.dagctl.TriggeredBy;
import io.dagctl.Updates;
import io.dagctl.internal.discovery.Problem.Location;
import io.dagctl.internal.discovery.Problem.OnClass;
import io.dagctl.internal.discovery.Problem.OnTask;
import io.dagctl.spec.Triggers;
import io.dagctl.spec.Triggers.CompletionTrigger;
import io.dagctl.spec.Triggers.KafkaRecordsTrigger;
import io.dagctl.spec.Triggers.NewObjectsTrigger;
import io.dagctl.spec.XComCondition;
import io.dagctl.spec.XComPath;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of what starts a DAG: {@code endDate}, {@link TriggeredBy}, {@link OnAssetUpdates}, {@link OnNewObjects},
 * {@link OnKafkaRecords} and {@link Updates}. Like {@link DefinitionRules}, both the loader and the annotation processor run them, on the
 * annotations themselves (every attribute involved is a string, an enum or a string array, which javac's annotation
 * proxies return as they are).
 */
public final class ScheduleRules {
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final Model dag;
    private final List<Problem> problems = new ArrayList<>();

    /**
     * A DAG class as the scheduling rules see it.
     *
     * @param paramNames the components of the DAG's params record; empty when it declares none
     * @param taskMethodNames and {@code taskIds}, {@code taskUpdates}: one entry per {@code @Task} method, in order
     */
    public record Model(
            String className, String schedule, String startDate, String endDate,
            Optional<TriggeredBy> triggeredBy, Optional<OnAssetUpdates> onAssets, Optional<OnNewObjects> newObjects,
            Optional<OnKafkaRecords> kafkaRecords, List<String> paramNames, List<String> taskMethodNames, List<String> taskIds,
            List<Optional<Updates>> taskUpdates) {

        public Model {
            paramNames = List.copyOf(paramNames);
            taskMethodNames = List.copyOf(taskMethodNames);
            taskIds = List.copyOf(taskIds);
            taskUpdates = List.copyOf(taskUpdates);
        }
    }

    private ScheduleRules(Model dag) {
        this.dag = dag;
    }

    /** The problems of the definition, in the form {@link DefinitionRules} reports them. */
    public static List<Problem> check(Model dag) {
        ScheduleRules rules = new ScheduleRules(dag);
        rules.checkAll();
        return List.copyOf(rules.problems);
    }

    /** The triggers of a definition {@link #check} found clean. */
    public static Triggers triggers(Model dag) {
        Map<String, List<String>> updates = new LinkedHashMap<>();
        for (int i = 0; i < dag.taskIds().size(); i++) {
            int task = i;
            dag.taskUpdates().get(i).ifPresent(u -> updates.put(dag.taskIds().get(task), List.of(u.value())));
        }
        return new Triggers(
                dag.onAssets().map(a -> List.of(a.value())).orElse(List.of()),
                dag.triggeredBy().map(ScheduleRules::completionTrigger),
                dag.newObjects().map(n -> new NewObjectsTrigger(n.bucket(), n.prefix(),
                        n.connection().isEmpty() ? Optional.empty() : Optional.of(n.connection()),
                        Duration.parse(n.every()), n.keyParam(), n.etagParam())),
                dag.kafkaRecords().map(k -> new KafkaRecordsTrigger(k.topic(), k.maxRecords(), Duration.parse(k.maxWait()),
                        k.connection().isEmpty() ? Optional.empty() : Optional.of(k.connection()), k.topicParam(),
                        k.offsetsParam())),
                updates);
    }

    private static CompletionTrigger completionTrigger(TriggeredBy trigger) {
        Map<String, XComPath> params = new LinkedHashMap<>();
        for (String mapping : trigger.params()) {
            int equals = mapping.indexOf('=');
            params.put(mapping.substring(0, equals).strip(), XComPath.parse(mapping.substring(equals + 1)));
        }
        return new CompletionTrigger(trigger.dag(), trigger.state(),
                trigger.when().isBlank() ? Optional.empty() : Optional.of(XComCondition.parse(trigger.when())),
                params);
    }

    private void checkAll() {
        OnClass onClass = new OnClass();
        checkEndDate(onClass);
        List<String> starters = new ArrayList<>();
        if (!dag.schedule().isBlank()) {
            starters.add("schedule \"" + dag.schedule() + "\"");
        }
        dag.triggeredBy().ifPresent(t -> starters.add("@TriggeredBy"));
        dag.onAssets().ifPresent(a -> starters.add("@OnAssetUpdates"));
        dag.newObjects().ifPresent(n -> starters.add("@OnNewObjects"));
        dag.kafkaRecords().ifPresent(k -> starters.add("@OnKafkaRecords"));
        if (starters.size() > 1) {
            add(onClass, "DAG is started by " + String.join(" and by ", starters) + "; choose one of them");
        }
        dag.triggeredBy().ifPresent(this::checkTriggeredBy);
        dag.onAssets().ifPresent(a -> {
            if (a.value().length == 0) {
                add(onClass, "@OnAssetUpdates lists no asset; name at least one URI, e.g. "
                        + "@OnAssetUpdates(\"s3://bucket/key\")");
            }
            for (String asset : a.value()) {
                checkAsset(onClass, "@OnAssetUpdates", asset);
            }
        });
        dag.newObjects().ifPresent(this::checkNewObjects);
        dag.kafkaRecords().ifPresent(this::checkKafkaRecords);
        for (int i = 0; i < dag.taskUpdates().size(); i++) {
            int task = i;
            dag.taskUpdates().get(i).ifPresent(updates -> {
                if (updates.value().length == 0) {
                    add(new OnTask(task), "@Updates lists no asset; name at least one URI or remove it");
                }
                for (String asset : updates.value()) {
                    checkAsset(new OnTask(task), "@Updates", asset);
                }
            });
        }
    }

    private void checkEndDate(OnClass onClass) {
        if (dag.endDate().isEmpty()) {
            return;
        }
        LocalDate end;
        try {
            end = LocalDate.parse(dag.endDate());
        } catch (DateTimeParseException e) {
            add(onClass, "endDate '" + dag.endDate() + "' is not an ISO date; write yyyy-MM-dd, e.g. \"2011-12-31\"");
            return;
        }
        try {
            if (!dag.startDate().isEmpty() && end.isBefore(LocalDate.parse(dag.startDate()))) {
                add(onClass, "endDate " + end + " is before startDate " + dag.startDate()
                        + "; end the schedule on or after its start");
            }
        } catch (DateTimeParseException e) {
            // the start date's own rule reports it
        }
    }

    private void checkTriggeredBy(TriggeredBy trigger) {
        OnClass onClass = new OnClass();
        if (!Names.isLowerSnakeCase(trigger.dag())) {
            add(onClass, "@TriggeredBy(dag = \"" + trigger.dag() + "\") is not a DAG id; DAG ids are lower snake "
                    + "case, e.g. \"detect_data_drift\"");
        }
        if (!trigger.when().isBlank()) {
            try {
                XComCondition.parse(trigger.when());
            } catch (IllegalArgumentException e) {
                add(onClass, "@TriggeredBy(when): " + e.getMessage());
            }
        }
        List<String> seen = new ArrayList<>();
        for (String mapping : trigger.params()) {
            int equals = mapping.indexOf('=');
            if (equals < 0) {
                add(onClass, "@TriggeredBy(params) entry '" + mapping + "' is not param = path; write e.g. "
                        + "\"startDate = fetch_current.startDate\"");
                continue;
            }
            String param = mapping.substring(0, equals).strip();
            checkParamName(onClass, "@TriggeredBy(params) entry '" + mapping + "'", param);
            if (seen.contains(param)) {
                add(onClass, "@TriggeredBy(params) sets param " + param + " twice; keep one entry");
            }
            seen.add(param);
            try {
                XComPath.parse(mapping.substring(equals + 1));
            } catch (IllegalArgumentException e) {
                add(onClass, "@TriggeredBy(params) entry '" + mapping + "': " + e.getMessage());
            }
        }
    }

    private void checkNewObjects(OnNewObjects objects) {
        OnClass onClass = new OnClass();
        if (objects.bucket().isBlank() || objects.bucket().contains("/")) {
            add(onClass, "@OnNewObjects(bucket = \"" + objects.bucket() + "\") is not a bucket name; name the "
                    + "bucket alone and put the folder in prefix");
        }
        checkPositiveDuration(onClass, "@OnNewObjects(every = \"" + objects.every() + "\")", objects.every());
        checkParamName(onClass, "@OnNewObjects(keyParam)", objects.keyParam());
        checkParamName(onClass, "@OnNewObjects(etagParam)", objects.etagParam());
    }

    private void checkKafkaRecords(OnKafkaRecords records) {
        OnClass onClass = new OnClass();
        if (!KAFKA_TOPIC.matcher(records.topic()).matches()) {
            add(onClass, "@OnKafkaRecords(topic = \"" + records.topic() + "\") is not a Kafka topic name (1 to 249"
                    + " letters, digits, '.', '_' and '-')");
        }
        if (records.maxRecords() < 1) {
            add(onClass, "@OnKafkaRecords(maxRecords = " + records.maxRecords() + ") is not positive; a batch needs"
                    + " at least one record");
        }
        checkPositiveDuration(onClass, "@OnKafkaRecords(maxWait = \"" + records.maxWait() + "\")", records.maxWait());
        checkParamName(onClass, "@OnKafkaRecords(topicParam)", records.topicParam());
        checkParamName(onClass, "@OnKafkaRecords(offsetsParam)", records.offsetsParam());
    }

    private void checkPositiveDuration(Location location, String where, String duration) {
        try {
            Duration parsed = Duration.parse(duration);
            if (parsed.isNegative() || parsed.isZero()) {
                add(location, where + " is not positive; use e.g. \"PT1M\"");
            }
        } catch (DateTimeParseException e) {
            add(location, where + " is not an ISO-8601 duration; write e.g. \"PT30S\" or \"PT1M\"");
        }
    }

    private void checkParamName(Location location, String where, String param) {
        if (!dag.paramNames().contains(param)) {
            add(location, where + " names param " + param + ", which the DAG's params record does not have; "
                    + (dag.paramNames().isEmpty() ? "declare @Dag(params) with a String " + param
                    : "its params are " + dag.paramNames()));
        }
    }

    private void checkAsset(Location location, String where, String asset) {
        String problem = null;
        try {
            URI uri = new URI(asset);
            if (uri.getScheme() == null || uri.getRawSchemeSpecificPart() == null
                    || !uri.getRawSchemeSpecificPart().startsWith("//") || uri.getRawSchemeSpecificPart().length() <= 2) {
                problem = "has no scheme://";
            }
        } catch (URISyntaxException e) {
            problem = "is not a URI (" + e.getReason() + ")";
        }
        if (problem != null) {
            add(location, where + " asset '" + asset + "' " + problem + "; write scheme://where, e.g. "
                    + "\"s3://bike-sharing/model.json\" or \"postgres://bike_db/current\"");
        }
    }

    private void add(Location location, String problem) {
        String where = dag.className();
        if (location instanceof OnTask onTask) {
            where += "." + dag.taskMethodNames().get(onTask.task());
        }
        problems.add(new Problem(location, where + ": " + problem));
    }
}
