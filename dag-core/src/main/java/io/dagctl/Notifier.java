package io.dagctl;

/** Told when a task or a run ends in a state it was registered for ({@link Dag#onFailure()}, {@link Task#onSuccess()}, ...). */
public interface Notifier {
    void notify(Notification notification);
}
