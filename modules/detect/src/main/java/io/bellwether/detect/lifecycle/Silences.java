package io.bellwether.detect.lifecycle;

import io.bellwether.events.Silence;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.Map;

/**
 * Silences from the control topic. A silence matches a verdict when every one of its matchers holds (kind,
 * ruleId, accountId, subjectId, dedupKey, label.<name>) and the verdict's moment lies in [startsAt, endsAt).
 */
public final class Silences {
    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<Silence>> store;

    public Silences(ReadOnlyKeyValueStore<String, ValueAndTimestamp<Silence>> store) {
        this.store = store;
    }

    /** A store-less instance for stages that cannot see the control topic. */
    public static Silences none() {
        return new Silences(null);
    }

    /** The id of a silence covering the verdict at {@code at}, or null. */
    public String match(Verdict verdict, long at) {
        if (store == null) {
            return null;
        }
        try (KeyValueIterator<String, ValueAndTimestamp<Silence>> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, ValueAndTimestamp<Silence>> entry = all.next();
                Silence silence = entry.value == null ? null : entry.value.value();
                if (silence != null && covers(silence, verdict, at)) {
                    return "silence:" + silence.getSilenceId();
                }
            }
        }
        return null;
    }

    /** The earliest end after {@code at} of a silence that currently covers the verdict, or Long.MAX_VALUE. */
    public long coveredUntil(Verdict verdict, long at) {
        if (store == null) {
            return Long.MAX_VALUE;
        }
        long until = Long.MAX_VALUE;
        try (KeyValueIterator<String, ValueAndTimestamp<Silence>> all = store.all()) {
            while (all.hasNext()) {
                Silence silence = all.next().value.value();
                if (silence != null && covers(silence, verdict, at)) {
                    until = Math.min(until, silence.getEndsAt().toEpochMilli());
                }
            }
        }
        return until;
    }

    static boolean covers(Silence silence, Verdict verdict, long at) {
        if (at < silence.getStartsAt().toEpochMilli() || at >= silence.getEndsAt().toEpochMilli()) {
            return false;
        }
        for (Map.Entry<String, String> matcher : silence.getMatchers().entrySet()) {
            String actual = switch (matcher.getKey()) {
                case "kind" -> verdict.kind().name();
                case "ruleId" -> verdict.ruleId();
                case "accountId" -> verdict.accountId();
                case "subjectId" -> verdict.subject().getId();
                case "dedupKey" -> verdict.dedupKey();
                default -> matcher.getKey().startsWith("label.") ? verdict.labels().get(matcher.getKey().substring(6)) : null;
            };
            if (actual == null || !actual.equals(matcher.getValue())) {
                return false;
            }
        }
        return !silence.getMatchers().isEmpty();
    }
}
