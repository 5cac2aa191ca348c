package io.bellwether.ingest;

import io.bellwether.ingest.adapters.Adapter;
import io.bellwether.ingest.auth.Authenticator;

/** One webhook endpoint: {@code /webhooks/<name>}, how it authenticates, how it reads bodies, how fast it may go. */
public record Source(String name, Authenticator authenticator, Adapter adapter, RateLimiter rateLimiter) {
}
