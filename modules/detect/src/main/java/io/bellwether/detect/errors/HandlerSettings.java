package io.bellwether.detect.errors;

import io.bellwether.detect.DetectMetrics;

import java.util.Map;

/** What the exception handlers read from the Streams configuration they are created with. */
final class HandlerSettings {
    static final String DLQ_TOPIC = io.bellwether.detect.StreamsSettings.DLQ_TOPIC;
    static final String METRICS = io.bellwether.detect.StreamsSettings.METRICS;

    final String dlqTopic;
    final DetectMetrics metrics;

    HandlerSettings(Map<String, ?> configs) {
        Object topic = configs.get(DLQ_TOPIC);
        if (topic == null) {
            throw new IllegalStateException(DLQ_TOPIC + " must name the dead-letter topic");
        }
        this.dlqTopic = topic.toString();
        Object metrics = configs.get(METRICS);
        this.metrics = metrics instanceof DetectMetrics m ? m : DetectMetrics.discard();
    }
}
