package io.dagctl.cli;

import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.Param;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/** A three-task DAG that runs in milliseconds; its middle task fails while a file named by a param exists. */
@Dag(id = "cli_fixture", description = "Greets, checks, publishes", tags = {"fixture", "fast"},
        params = FixtureDag.Options.class)
public final class FixtureDag {

    public record Options(
            @Param(defaultValue = "world", description = "Who is greeted") String name,
            @Param(defaultValue = "2", description = "How many times (1 to 5)") int copies,
            @Param(defaultValue = "", description = "check fails while this file exists") String failWhile) {
        public Options {
            if (copies < 1 || copies > 5) {
                throw new IllegalArgumentException("copies must be between 1 and 5, not " + copies);
            }
        }
    }

    public record Greeting(String text, int copies) {
    }

    @Task
    public Greeting greet(TaskContext context, Options options) {
        context.log().info("greeting {} {} times", options.name(), options.copies());
        return new Greeting("hello " + options.name(), options.copies());
    }

    @Task
    public int check(TaskContext context, @From("greet") Greeting greeting, Options options) {
        if (!options.failWhile().isEmpty() && Files.exists(Path.of(options.failWhile()))) {
            context.log().info("{} is there", options.failWhile());
            throw new IllegalStateException("refusing to publish while " + options.failWhile() + " exists");
        }
        return greeting.text().length();
    }

    @Task
    public List<String> publish(@From("greet") Greeting greeting, @From("check") int length) {
        return Collections.nCopies(greeting.copies(), greeting.text() + " (" + length + ")");
    }
}
