package io.bellwether.service;

import io.bellwether.events.RecurringIssues;
import io.bellwether.query.QueryServer;
import io.bellwether.serde.EventSerdes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the week's recurring issues every Monday at 00:00 in the query zone (wall clock): a RecurringIssues record
 * across accounts (key {@code all}) and one per account that opened tickets in the week (key: the account id), so a
 * report can go to the client or the problem manager. Only the instance holding partition 0 of the ticket state
 * publishes; the counts are the whole cluster's. A failed week is logged and tried again at the next Monday.
 */
public final class RecurringIssuesPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecurringIssuesPublisher.class);
    private static final int TOP = 10;

    private final QueryServer query;
    private final Producer<String, byte[]> producer;
    private final EventSerdes serdes;
    private final String topic;
    private final ZoneId zone;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "recurring-issues-report");
        t.setDaemon(true);
        return t;
    });

    RecurringIssuesPublisher(QueryServer query, Map<String, Object> clientProperties, EventSerdes serdes, String topic, ZoneId zone) {
        this.query = query;
        this.serdes = serdes;
        this.topic = topic;
        this.zone = zone;
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bellwether-recurring-issues");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    RecurringIssuesPublisher start() {
        scheduleNext();
        return this;
    }

    private void scheduleNext() {
        ZonedDateTime now = ZonedDateTime.now(zone);
        ZonedDateTime next = now.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        timer.schedule(() -> {
            try {
                publishNow();
            } catch (Exception e) {
                log.warn("The weekly recurring-issues report was not published: {}", e.toString());
            } finally {
                scheduleNext();
            }
        }, Duration.between(now, next).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Publishes this week's report now if this instance leads, waiting for the broker; returns what it published. */
    public List<RecurringIssues> publishNow() throws Exception {
        List<RecurringIssues> reports = query.weeklyRecurringIssues(TOP);
        for (RecurringIssues report : reports) {
            producer.send(new ProducerRecord<>(topic, report.getScope(), serdes.value(RecurringIssues.class).serialize(topic, report)));
        }
        producer.flush();
        if (!reports.isEmpty()) {
            log.info("Published the recurring issues of {} scopes to {}", reports.size(), topic);
        }
        return reports;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
