package io.dagctl.cli;

import io.dagctl.ops.Operations.PoolUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pools", description = "Manages the pools that limit how many tries of their tasks run at once"
        + " (@Task(pool = \"NAME\", poolSlots = N)); default_pool is unlimited until set.",
        subcommands = {PoolsCommand.ListPools.class, PoolsCommand.Set.class, PoolsCommand.Delete.class})
final class PoolsCommand {
    @ParentCommand
    private Dagctl dagctl;

    @Command(name = "list", description = "Lists the pools, their slots and the slots queued and running tries hold.")
    static final class ListPools implements Callable<Integer>, ReadOnlyCommand {
        @ParentCommand
        private PoolsCommand pools;

        @Option(names = "--json", description = "Print JSON.")
        private boolean json;

        @Override
        public Integer call() {
            List<PoolUsage> usage = pools.dagctl.operations().pools();
            if (json) {
                pools.dagctl.out().println(Json.write(usage.stream().map(p -> {
                    Map<String, Object> pool = new LinkedHashMap<>();
                    pool.put("name", p.name());
                    pool.put("slots", p.slots());
                    pool.put("used_slots", p.used());
                    pool.put("description", p.description());
                    return pool;
                }).toList()));
                return ExitCodes.OK;
            }
            Table table = new Table("POOL", "SLOTS", "USED", "DESCRIPTION");
            usage.forEach(p -> table.row(p.name(), p.slots(), p.used(), p.description()));
            table.print(pools.dagctl.out());
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", description = "Creates a pool or changes its slots.")
    static final class Set implements Callable<Integer> {
        @ParentCommand
        private PoolsCommand pools;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SLOTS", description = "How many slots queued and running tries may hold.")
        int slots;

        @Option(names = "--description", defaultValue = "")
        String description;

        @Override
        public Integer call() {
            PoolUsage pool = pools.dagctl.operations().setPool(name, slots, description);
            pools.dagctl.out().println("pool " + pool.name() + ": " + pool.slots() + " slots");
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Deletes a pool; its tasks wait until it is set again.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        private PoolsCommand pools;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            pools.dagctl.operations().deletePool(name);
            pools.dagctl.out().println("pool " + name + " deleted");
            return ExitCodes.OK;
        }
    }
}
