package io.dagctl.hooks.slack.internal;

import java.io.IOException;

/** Where a Slack payload goes: the incoming webhook, or the local outbox when none is configured. */
public interface Delivery {
    void deliver(String json) throws IOException;
}
