package io.bellwether.ingest;

/**
 * A token bucket per source: {@code perSecond} deliveries sustained, {@code burst} at once. A PSA that floods the
 * receiver (a bulk update, a retry storm) gets 429 with Retry-After instead of starving the other sources.
 */
public final class RateLimiter {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    public RateLimiter(double perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.last = System.nanoTime();
    }

    public synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Gives back a token taken for a delivery refused for Kafka's sake: the PSA's retries of it must not be throttled. */
    public synchronized void refund() {
        tokens = Math.min(burst, tokens + 1);
    }

    /** Seconds until a token is available, for Retry-After. */
    public synchronized long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
    }
}
