package io.dagctl.web;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the webserver knows of the metadata database between requests: reachable, or lost since a moment. It says in
 * one line when a request finds the database gone and in one line when a request reaches it again, instead of a
 * stack trace per request of the outage.
 */
final class DatabaseReachability {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private Instant lostSince;

    synchronized boolean isLost() {
        return lostSince != null;
    }

    /** Records that a request could not reach the database, and why. */
    synchronized void lost(String why) {
        if (lostSince == null) {
            lostSince = Instant.now();
            LOG.warn("Webserver lost the metadata database ({}); pages and the API answer 503 until it is back", why);
        }
    }

    /** Records that a request reached the database. */
    synchronized void reached() {
        if (lostSince != null) {
            LOG.warn("Webserver reached the metadata database again after {} s",
                    Duration.between(lostSince, Instant.now()).toMillis() / 1000.0);
            lostSince = null;
        }
    }
}
