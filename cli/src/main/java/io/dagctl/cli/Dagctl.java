package io.dagctl.cli;

import com.google.inject.Module;
import io.dagctl.ConnectionUri;
import io.dagctl.Connections;
import io.dagctl.Secrets;
import io.dagctl.hooks.s3.S3XComBackend;
import io.dagctl.spec.DagDefinitionException;
import io.dagctl.spec.DagSpec;
import io.dagctl.internal.inject.DagInjector;
import io.dagctl.internal.runtime.DagRuntime;
import io.dagctl.internal.schedule.Scheduler;
import io.dagctl.internal.logging.TaskLogs;
import io.dagctl.internal.store.MetadataStore;
import io.dagctl.internal.store.StoreLocation;
import io.dagctl.internal.xcom.DatabaseXComBackend;
import io.dagctl.internal.xcom.XComBackend;
import io.dagctl.ops.Operations;
import io.dagctl.ops.RunDeletion;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The root {@code dagctl} command. It owns what its subcommands share, each made on first use so that
 * {@code dagctl list} starts no database and no embedded service.
 */
// INHERIT gives every subcommand --help (and --version), as users of git or kubectl expect.
@Command(name = "dagctl", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Dagctl.Version.class,
        description = "Runs annotated DAGs: list, show, trigger, and inspect their runs.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a run or task failed", "2:usage error, unknown DAG/task/run, or DAG definition error",
                "130:trigger stopped by Ctrl-C or SIGTERM; the run is resumable"})
public final class Dagctl implements AutoCloseable {
    /** In the order {@code dagctl --help} lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(ListCommand.class, ShowCommand.class,
            TriggerCommand.class, TestCommand.class, RunsCommand.class, StatusCommand.class, LogsCommand.class,
            XComCommand.class, ClearCommand.class, SkipCommand.class, ResumeCommand.class, DbCommand.class, DemoCommand.class,
            SyntheticsCommand.class, SchedulerCommand.class, PauseCommand.class, UnpauseCommand.class,
            BackfillCommand.class, NextCommand.class, WorkerCommand.class, PoolsCommand.class, LagCommand.class,
            InitCommand.class, WebserverCommand.class, StandaloneCommand.class,
            CommandLine.HelpCommand.class);

    private final CliEnvironment environment;
    private DagCatalog catalog;
    private LocalServices localServices;
    private MetadataStore store;
    private DagRuntime runtime;
    private XComBackend xcomBackend;
    private Connections configuredConnections;
    private Operations operations;
    private Path home;
    /** Whether a command that only reads has closed the file it read directly, to write output. */
    private boolean readsThroughServer;

    @Spec
    private CommandSpec spec;

    @Option(names = "--dags-path", paramLabel = "PATH", split = ":",
            description = "More DAG bundles, separated by ':' (added to DAGCTL_DAGS_PATH): Maven project "
                    + "directories, jars or class directories.")
    private List<Path> dagsPath = new ArrayList<>();

    Dagctl(CliEnvironment environment) {
        this.environment = environment;
    }

    /** Runs one dagctl command line and returns its exit code; everything it prints is masked. */
    public static int run(CliEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
        try (Dagctl root = new Dagctl(environment)) {
            CommandLine commandLine = new CommandLine(root);
            subcommandsFor(args).forEach(commandLine::addSubcommand);
            // Colours would reach the terminal as escaped text: MaskingWriter escapes every control character.
            commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
            commandLine.setOut(MaskingWriter.around(new AfterReading(out, root)));
            commandLine.setErr(MaskingWriter.around(new AfterReading(err, root)));
            commandLine.setParameterExceptionHandler(new UsageErrors());
            commandLine.setExecutionExceptionHandler(Dagctl::handleFailure);
            return commandLine.execute(args);
        }
    }

    /**
     * Only the subcommand the command line names, when it names one: picocli builds its model of each subcommand by
     * reflection, a tenth of what {@code dagctl list} costs for all of them. Usage, {@code help} and unknown
     * commands get all.
     */
    private static List<Class<?>> subcommandsFor(String... args) {
        return SUBCOMMANDS.stream()
                .filter(c -> args.length > 0 && c != CommandLine.HelpCommand.class
                        && c.getAnnotation(Command.class).name().equals(args[0]))
                .findFirst().map(List::<Class<?>>of).orElse(SUBCOMMANDS);
    }

    static int runWithSystemStreams(String... args) {
        return run(CliEnvironment.fromSystem(),
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true), args);
    }

    private static int handleFailure(Exception failure, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if (failure instanceof CliException cli) {
            err.println("dagctl: " + cli.getMessage());
            return cli.exitCode();
        }
        if (failure instanceof DagDefinitionException definition) {
            err.println("dagctl: DAG definition error:");
            err.println(definition.getMessage());
            return ExitCodes.USAGE;
        }
        if (failure instanceof IllegalArgumentException invalid) {
            err.println("dagctl: " + Secrets.mask(invalid.getMessage()));
            return ExitCodes.USAGE;
        }
        err.println("dagctl: " + failure.getClass().getSimpleName() + ": " + Secrets.mask(failure.getMessage()));
        if (commandLine.getCommandSpec().root().userObject() instanceof Dagctl root && root.verbose()) {
            failure.printStackTrace(err);
        }
        return ExitCodes.RUN_FAILED;
    }

    private boolean verbose() {
        return environment.variable("DAGCTL_DEBUG").isPresent();
    }

    CliEnvironment environment() {
        return environment;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The DAGs; each one that failed to load is reported as a warning, and only commands naming it fail. */
    DagCatalog catalog() {
        if (catalog == null) {
            catalogWithoutWarnings().importErrors()
                    .forEach(e -> err().println("dagctl: warning: " + e.message()));
        }
        return catalog;
    }

    /** The DAGs, for {@code dagctl list}, which shows the import errors itself. */
    DagCatalog catalogWithoutWarnings() {
        if (catalog == null) {
            catalog = DagCatalog.discover(environment.loadExamples(), dagsPath());
        }
        return catalog;
    }

    /**
     * The DAG with this id for a command that runs it, or, when no class declares it, every DAG; the one catalog of
     * this command. The import errors it knows are reported as warnings.
     */
    DagCatalog catalogOf(String dagId) {
        if (catalog == null) {
            catalog = DagCatalog.discoverOne(environment.loadExamples(), dagsPath(), dagId);
            catalog.importErrors().forEach(e -> err().println("dagctl: warning: " + e.message()));
        }
        return catalog;
    }

    private List<Path> dagsPath() {
        List<Path> path = new ArrayList<>(environment.dagsPath());
        dagsPath.stream().map(environment.workingDirectory()::resolve).forEach(path::add);
        return path;
    }

    /** {@code DAGCTL_HOME}, checked to be a writable directory on first use. */
    private Path home() {
        if (home == null) {
            home = HomeDirectory.writable(environment.home());
        }
        return home;
    }

    /** The metadata store alone, for commands that only read it; the webserver's requests ask for it at once. */
    synchronized MetadataStore store() {
        if (runtime != null) {
            return runtime.store();
        }
        if (store == null) {
            StoreLocation location = StoreLocation.fromEnvironment(environment.variables(), home());
            if (command() instanceof ReadOnlyCommand) {
                location = readsThroughServer ? location.forReading().throughServer() : location.forReading();
            }
            store = MetadataStore.open(location);
        }
        return store;
    }

    /**
     * Before a command writes output: one that reads the H2 file straight from the file closes it first, as processes
     * that come to write wait until it does and its output may wait on a pager. What it reads after that comes
     * through the process that serves the file, which serves it whatever the output waits on.
     */
    private synchronized void beforeOutput() {
        if (store != null && store.location().readOnlyUrl().isPresent()) {
            store.close();
            store = null;
            readsThroughServer = true;
        }
    }

    /** A command's output stream, written after {@link #beforeOutput}. */
    private static final class AfterReading extends Writer {
        private final Writer target;
        private final Dagctl root;

        AfterReading(Writer target, Dagctl root) {
            this.target = target;
            this.root = root;
        }

        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            root.beforeOutput();
            target.write(buffer, offset, length);
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }

        @Override
        public void close() throws IOException {
            target.close();
        }
    }

    /** The command being run: the innermost one the command line names. */
    private Object command() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return parsed.commandSpec().userObject();
    }

    /**
     * The refusal of a command that only reads runs ({@code status}, {@code logs}, {@code xcom}) where there is no
     * dagctl home yet: it says which one it looked at, instead of creating an empty home in a directory the user may
     * have run it from by mistake.
     */
    CliException noRunsRecorded() {
        return CliException.usage(noHome() + "; run dagctl from the directory where the runs were made, or set "
                + "DAGCTL_HOME to their home");
    }

    /** Whether there is a metadata database to read; asking creates none. */
    boolean hasRecordedRuns() {
        HomeDirectory.refuseAFile(environment.home());
        return runtime != null || store != null || environment.databaseUrl().isPresent()
                || Files.exists(StoreLocation.h2DatabaseFile(environment.home()));
    }

    /** Which dagctl home was looked at, and why that one, for a command that found none. */
    String noHome() {
        String why = environment.variable("DAGCTL_HOME").map(value -> "DAGCTL_HOME is " + value)
                .orElse("DAGCTL_HOME is not set, so .dagctl in the working directory");
        return "no dagctl home at " + environment.home() + " (" + why + "), so no run is recorded there";
    }

    /** The runtime, with every hook module on the class path and connections from the environment first. */
    synchronized DagRuntime runtime() {
        if (runtime == null) {
            // Connections first: a malformed URI is refused before the home is made.
            Connections connections = connections();
            DagRuntime.Builder builder = DagRuntime.builder()
                    .environment(environment.variables())
                    .home(home())
                    .modules(hookModules())
                    .connections(connections)
                    .xcomBackend(xcomBackend())
                    .dags(catalog().all())
                    .resumeInterruptedOnOpen(false);
            if (store != null) {
                builder.store(store);
            }
            runtime = builder.build();
        }
        return runtime;
    }

    /**
     * Where XCom values live: large ones in S3 when {@code DAGCTL_XCOM_OBJECTSTORAGE_PATH} names a place (a malformed
     * one is reported here, before any task runs), the rest, or all, in the metadata database.
     */
    XComBackend xcomBackend() {
        if (xcomBackend == null) {
            xcomBackend = S3XComBackend.fromEnvironment(environment.variables(), connections())
                    .<XComBackend>map(s3 -> s3)
                    .orElseGet(() -> DatabaseXComBackend.fromEnvironment(environment.variables()));
        }
        return xcomBackend;
    }

    /** Deletes ended runs of this home's metadata database with their logs and spilled XCom values. */
    RunDeletion runDeletion() {
        return new RunDeletion(store(), TaskLogs.under(environment.home()), xcomBackend());
    }

    /**
     * The operations the CLI and the webserver share, over this home's metadata database and DAGs, each opened or
     * loaded when an operation first needs it.
     */
    Operations operations() {
        if (operations == null) {
            operations = new Operations(() -> catalog().all(), this::store, this::runtime,
                    TaskLogs.under(environment.home()),
                    (bucket, key, out) -> S3ObjectSource.copy(connections(), bucket, key, out),
                    Scheduler.pausedAtCreation(environment.variables()))
                    .withImportFailures(() -> catalog().importErrors()).withConnections(this::connectionSummaries);
        }
        return operations;
    }

    /** The configured connections, and the embedded services' for the ids not configured. */
    private List<Operations.ConnectionSummary> connectionSummaries() {
        List<Operations.ConnectionSummary> all = new ArrayList<>(
                Operations.ConnectionSummary.configured(environment.variables()));
        Set<String> configured = all.stream().map(Operations.ConnectionSummary::id).collect(Collectors.toSet());
        localServices().defaults().stream().filter(d -> !configured.contains(d.id())).forEach(all::add);
        return all;
    }

    /** Configured connections, and the embedded services where a connection is not configured. */
    Connections connections() {
        if (configuredConnections == null) {
            configuredConnections = Connections.fromEnvironment(environment.variables());
            warnOfPasswordsTooShortToMask();
        }
        return configuredConnections.orElse(localServices());
    }

    /** Once, as the connections are first read: what the masker cannot hide, the operator is told. */
    private void warnOfPasswordsTooShortToMask() {
        for (String id : Connections.idsIn(environment.variables())) {
            configuredConnections.find(id).filter(ConnectionUri::passwordTooShortToMaskInText).ifPresent(c -> err()
                    .println("dagctl: warning: connection '" + id + "' has a password shorter than "
                            + Secrets.MIN_MASKED_LENGTH + " characters, so it cannot be masked inside log text (only"
                            + " where it is a whole value); give it a longer one"));
        }
    }

    /**
     * Starts the embedded services the DAG's hooks are served by, if any, before its first task: their start-up
     * then neither counts in that task's duration nor fills its log.
     */
    void startServicesFor(DagSpec dag) {
        DagInjector.connectionIds(dag.dagClass(), hookModules()).forEach(connections()::find);
    }

    LocalServices localServices() {
        if (localServices == null) {
            localServices = new LocalServices(home(), () -> spec.commandLine().getErr());
        }
        return localServices;
    }

    /** Hook modules announce themselves as {@code com.google.inject.Module} services. */
    static List<Module> hookModules() {
        return DagInjector.hookModules(Dagctl.class.getClassLoader());
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
        if (store != null) {
            store.close();
        }
        if (xcomBackend instanceof S3XComBackend s3) {
            s3.close();
        }
        if (localServices != null) {
            localServices.close();
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Dagctl.class.getPackage().getImplementationVersion();
            return new String[] {"dagctl " + (version == null ? "(development build)" : version)};
        }
    }
}
