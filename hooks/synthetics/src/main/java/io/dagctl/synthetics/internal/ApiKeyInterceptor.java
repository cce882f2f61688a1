package io.dagctl.synthetics.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Sends the API key in the {@code Authorization} header, as Gretel's API expects it. */
public final class ApiKeyInterceptor implements Interceptor {
    private final String apiKey;

    public ApiKeyInterceptor(String apiKey) {
        this.apiKey = apiKey;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        return chain.proceed(chain.request().newBuilder().header("Authorization", apiKey).build());
    }
}
