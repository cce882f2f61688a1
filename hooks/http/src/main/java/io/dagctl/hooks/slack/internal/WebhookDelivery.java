package io.dagctl.hooks.slack.internal;

import io.dagctl.Secrets;
import io.dagctl.hooks.http.internal.RetryingCaller;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** POSTs to an incoming webhook, whose URL is a secret: logs and errors name only the connection. */
public final class WebhookDelivery implements Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final RetryingCaller caller;
    private final String webhookUrl;
    private final String connectionId;

    public WebhookDelivery(RetryingCaller caller, String webhookUrl, String connectionId) {
        this.caller = caller;
        this.webhookUrl = webhookUrl;
        this.connectionId = connectionId;
    }

    @Override
    public void deliver(String json) throws IOException {
        String target = "Slack webhook (connection " + connectionId + ")";
        Request request = new Request.Builder().url(webhookUrl).post(RequestBody.create(json, JSON)).build();
        try (Response response = caller.execute(request, target)) {
            if (!response.isSuccessful()) {
                String body = Secrets.mask(response.body().string().strip());
                throw new IOException(target + " rejected the message: HTTP " + response.code()
                        + (body.isEmpty() ? "" : " " + body));
            }
        }
        LOG.info("sent Slack message through connection {}", connectionId);
    }
}
