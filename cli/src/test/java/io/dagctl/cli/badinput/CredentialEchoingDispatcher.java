package io.dagctl.cli.badinput;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Refuses every request, naming the bare credential it was sent, as many servers do: a Slack webhook's token from its
 * path, else the bearer token without "Bearer".
 */
final class CredentialEchoingDispatcher extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        if (path.startsWith("/services/")) {
            return new MockResponse().setResponseCode(403)
                    .setBody("invalid_token " + path.substring(path.lastIndexOf('/') + 1));
        }
        String token = String.valueOf(request.getHeader("Authorization")).replace("Bearer ", "");
        return new MockResponse().setResponseCode(401).setBody("token " + token + " is not valid");
    }
}
