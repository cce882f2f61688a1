package io.dagctl.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.Task;
import io.dagctl.TriggerRule;
import io.dagctl.internal.discovery.DagDiscovery;
import io.dagctl.spec.DagSpec;
import org.junit.jupiter.api.Test;

class DagGraphTest {

    @Dag(id = "bookings")
    static class Bookings {
        @Task
        String extract() {
            return "";
        }

        @Task
        int transform(@From("extract") String key) {
            return key.length();
        }

        @Task(after = "extract", shortCircuit = true)
        boolean audit() {
            return true;
        }

        @Task(after = "audit", triggerRule = TriggerRule.NONE_FAILED)
        void publish(Integer rows) {
        }

        @Task(branch = true)
        String route() {
            return "";
        }
    }

    private final DagSpec dag = DagDiscovery.load(Bookings.class);

    @Test
    void drawsATreeFromEachRootNamingATaskReachedTwiceOnlyOnce() {
        assertThat(DagGraph.text(dag)).isEqualTo("""
                extract
                ├── transform
                │   └── publish [none_failed]
                └── audit [short_circuit]
                    └── publish [none_failed] (see above)
                route [branch]
                """);
    }

    @Test
    void writesAMermaidFlowchartWithDashedOrderingOnlyEdges() {
        assertThat(DagGraph.mermaid(dag)).isEqualTo("""
                flowchart LR
                    extract
                    transform
                    audit{{audit}}
                    publish
                    route{route}
                    extract --> transform
                    extract -.-> audit
                    transform --> publish
                    audit -.-> publish
                """);
    }

    @Test
    void writesAGraphvizDigraph() {
        assertThat(DagGraph.dot(dag)).isEqualTo("""
                digraph "bookings" {
                    rankdir=LR;
                    node [shape=box];
                    "extract";
                    "transform";
                    "audit" [shape=hexagon];
                    "publish";
                    "route" [shape=diamond];
                    "extract" -> "transform";
                    "extract" -> "audit" [style=dashed];
                    "transform" -> "publish";
                    "audit" -> "publish" [style=dashed];
                }
                """);
    }
}
