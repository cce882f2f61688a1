package io.dagctl.cli.badinput;

import io.dagctl.Dag;
import io.dagctl.Notification;
import io.dagctl.Notifier;
import io.dagctl.Task;

/** DAGs that fail at one point of a try's life each, other than in the task's own code. */
final class FailingPointsDags {
    private FailingPointsDags() {
    }

    /** Its instance cannot be made: the try fails while injecting. */
    @Dag(id = "bad_input_injection")
    public static final class Injection {
        public Injection() {
            throw new IllegalStateException("no booking database in this test");
        }

        @Task
        public String extract() {
            return "never";
        }
    }

    /** Returns a value that Jackson cannot write: the try fails while serializing it for XCom. */
    @Dag(id = "bad_input_serialization")
    public static final class Serialization {
        public record Exploding(String value) {
            @Override
            public String value() {
                throw new IllegalStateException("this value cannot be read");
            }
        }

        @Task
        public Exploding extract() {
            return new Exploding("x");
        }
    }

    /** Succeeds, and the notifier told of it cannot even be loaded: the run still ends. */
    @Dag(id = "bad_input_notifier_class")
    public static final class UnloadableNotifier {
        public static final class Broken implements Notifier {
            static {
                if (Boolean.parseBoolean("true")) {
                    throw new IllegalStateException("the pager's configuration is missing");
                }
            }

            @Override
            public void notify(Notification notification) {
            }
        }

        @Task(onSuccess = Broken.class)
        public String extract() {
            return "rows";
        }
    }

    /** Fails, and the notifier told of it fails too: the run still ends. */
    @Dag(id = "bad_input_notifier")
    public static final class FailingNotifier {
        public static final class Broken implements Notifier {
            @Override
            public void notify(Notification notification) {
                throw new IllegalStateException("the pager is down");
            }
        }

        @Task(onFailure = Broken.class)
        public String extract() {
            throw new IllegalStateException("the source is empty");
        }

        @Task
        public String publish(@io.dagctl.From("extract") String extracted) {
            return extracted;
        }
    }
}
