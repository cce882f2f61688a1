package io.dagctl.cli;

import io.dagctl.Connections;
import io.dagctl.Dag;
import io.dagctl.From;
import io.dagctl.Task;
import io.dagctl.TaskContext;
import jakarta.inject.Inject;

/**
 * A careless DAG: it logs a connection's password, tries to return it (which XCom refuses), and fails with it in
 * the exception message.
 */
@Dag(id = "cli_leaky", description = "Leaks the vault password everywhere it can", tags = "fixture")
public final class LeakyDag {
    static final String CONNECTION = "fixture_vault";

    private final Connections connections;

    @Inject
    public LeakyDag(Connections connections) {
        this.connections = connections;
    }

    @Task
    public Session login(TaskContext context) {
        String password = connections.get(CONNECTION).password();
        context.log().info("logging in to the vault with password {}", password);
        return new Session("session-7", connections.get(CONNECTION).login());
    }

    @Task
    public void use(TaskContext context, @From("login") Session session) {
        String password = connections.get(CONNECTION).password();
        context.log().warn("the vault refused {} for password {}", session.id(), password);
        throw new IllegalStateException("vault refused " + session.id() + " of " + session.user() + ":" + password);
    }

    @Task
    public String echo() {
        return "the password is " + connections.get(CONNECTION).password();
    }

    public record Session(String id, String user) {
    }
}
