package io.dagctl.cli;

import io.dagctl.Dag;
import io.dagctl.Expand;
import io.dagctl.From;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import java.util.List;

/** A DAG with a mapped task: three instances, one per parcel, and a task that takes their list. */
@Dag(id = "cli_mapped", description = "Weighs three parcels, one instance each", tags = "fixture")
public final class MappedFixtureDag {
    @Task
    public List<String> parcels() {
        return List.of("small", "medium", "large");
    }

    @Task
    public int weigh(@Expand("parcels") String parcel, TaskContext context) {
        context.log().info("weighing the {} parcel", parcel);
        return parcel.length();
    }

    @Task
    public int total(@From("weigh") List<Integer> weights) {
        return weights.stream().mapToInt(Integer::intValue).sum();
    }
}
