package io.dagctl.hooks.http.internal;

import io.dagctl.ConnectionUri;
import io.dagctl.Secrets;
import okhttp3.HttpUrl;

/** URLs as they may be printed: password and secret-named query values replaced by {@link Secrets#MASK}. */
public final class UrlMasking {
    private UrlMasking() {
    }

    public static String mask(HttpUrl url) {
        StringBuilder s = new StringBuilder(url.scheme()).append("://");
        if (!url.username().isEmpty()) {
            s.append(url.encodedUsername());
            if (!url.password().isEmpty()) {
                s.append(':').append(Secrets.MASK);
            }
            s.append('@');
        }
        s.append(url.host());
        if (url.port() != HttpUrl.defaultPort(url.scheme())) {
            s.append(':').append(url.port());
        }
        s.append(url.encodedPath());
        for (int i = 0; i < url.querySize(); i++) {
            String name = url.queryParameterName(i);
            String value = url.queryParameterValue(i);
            s.append(i == 0 ? '?' : '&').append(name);
            if (value != null) {
                s.append('=').append(ConnectionUri.namesASecret(name) ? Secrets.MASK : value);
            }
        }
        return Secrets.mask(s.toString());
    }
}
