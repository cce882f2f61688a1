package io.dagctl.synthetics;

import io.dagctl.ConnectionUri;
import io.dagctl.HookFactory;
import java.net.URI;
import java.util.Optional;

/**
 * Makes a {@link SyntheticsHook} from a connection {@code http[s]://host:port[/path]?api_key=...[&project=...]
 * [&max_attempts=5]}; the default connection is {@code synthetics_default}.
 */
public final class SyntheticsHookFactory implements HookFactory<SyntheticsHook> {
    public static final String DEFAULT_CONNECTION_ID = "synthetics_default";

    @Override
    public Class<SyntheticsHook> hookType() {
        return SyntheticsHook.class;
    }

    @Override
    public String defaultConnectionId() {
        return DEFAULT_CONNECTION_ID;
    }

    /**
     * @throws IllegalArgumentException naming the connection when its scheme, host or an extra is wrong
     */
    @Override
    public SyntheticsHook create(ConnectionUri connection) {
        if (!connection.scheme().equals("http") && !connection.scheme().equals("https")) {
            throw new IllegalArgumentException("connection '" + connection.id() + "' has scheme '"
                    + connection.scheme() + "': a synthetics service is reached over http or https");
        }
        if (connection.host() == null) {
            throw new IllegalArgumentException("connection '" + connection.id() + "' has no host");
        }
        String base = connection.scheme() + "://" + connection.host()
                + (connection.port() >= 0 ? ":" + connection.port() : "")
                + (connection.path().isEmpty() ? "" : "/" + connection.path());
        SyntheticsSettings settings = SyntheticsSettings.of(URI.create(base),
                connection.extra("api_key").filter(k -> !k.isEmpty()));
        Optional<String> project = connection.extra("project");
        if (project.isPresent()) {
            settings = settings.withProject(project.get());
        }
        Optional<String> attempts = connection.extra("max_attempts");
        if (attempts.isPresent()) {
            try {
                settings = settings.withRetries(Integer.parseInt(attempts.get()), settings.initialBackoff(),
                        settings.maxBackoff());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("connection '" + connection.id()
                        + "' has max_attempts='" + attempts.get() + "': expected a whole number");
            }
        }
        return new SyntheticsHook(settings);
    }
}
