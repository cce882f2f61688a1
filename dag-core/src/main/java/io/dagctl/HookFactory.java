package io.dagctl;

/**
 * Makes a hook from a connection. A hook module contributes one per hook type; the runtime binds every
 * {@code @Connection("id") H} that a DAG asks for, and an unqualified {@code H} to {@link #defaultConnectionId()}.
 */
public interface HookFactory<H> {
    Class<H> hookType();

    /** The connection an unqualified injection of the hook uses, e.g. {@code s3_default}. */
    String defaultConnectionId();

    H create(ConnectionUri connection);
}
