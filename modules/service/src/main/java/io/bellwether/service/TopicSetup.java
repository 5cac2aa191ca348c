package io.bellwether.service;

import io.bellwether.events.AccountOwner;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.Escalation;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.RiskSignal;
import io.bellwether.events.Silence;
import io.bellwether.events.TicketEvent;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.EventSerdes;
import io.bellwether.serde.SchemaRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates Bellwether's topics (compacted where a topic holds the latest value per key) and registers the
 * contract schemas with their compatibility rule, so a misconfigured cluster or registry fails at start, with
 * the reason, rather than on the first event.
 */
public final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    public static void createTopics(Admin admin, TopicNames topics, int partitions, short replication) {
        createTopics(admin, topics, partitions, replication, Map.of());
    }

    /**
     * @param extraConfig added to every topic created (a backtest's throwaway topics keep everything: their records
     *                    carry the history's old timestamps, which time-based retention would delete at once)
     */
    public static void createTopics(Admin admin, TopicNames topics, int partitions, short replication, Map<String, String> extraConfig) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : TopicNames.asMap(topics).values()) {
                if (existing.contains(topic)) {
                    continue;
                }
                NewTopic t = new NewTopic(topic, Optional.of(partitions), replication < 1 ? Optional.empty() : Optional.of(replication));
                Map<String, String> configs = new java.util.HashMap<>(extraConfig);
                // Event time travels in the values. Record timestamps are arrival times, so retention and the
                // broker's producer-state expiry follow arrival, not the age of replayed history.
                configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
                if (topics.isCompacted(topic)) {
                    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                } else if (topic.equals(topics.deadLetter())) {
                    configs.putIfAbsent(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000));
                } else if (topic.equals(topics.audit())) {
                    // Who silenced what is asked months later; a year and a bit covers a yearly review.
                    configs.putIfAbsent(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(400L * 24 * 3600 * 1000));
                }
                t.configs(configs);
                missing.add(t);
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                log.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create Bellwether's topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create Bellwether's topics: " + e.getMessage(), e);
        }
    }

    public static int partitions(Admin admin, String topic) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            return d.partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot describe topic " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Registers (or looks up) every contract schema under its topic's subject (clock ticks under their topic-record subject), after setting the compatibility rule. */
    public static void registerSchemas(EventSerdes serdes, TopicNames topics, String compatibility) {
        SchemaRegistry registry = serdes.registry();
        Map<String, Class<? extends org.apache.avro.specific.SpecificRecord>> contract = Map.ofEntries(Map.entry(topics.securitySignals(), RiskSignal.class),
                Map.entry(topics.peopleSignals(), RiskSignal.class),
                Map.entry(topics.recurringIssues(), io.bellwether.events.RecurringIssues.class),

                Map.entry(topics.ticketEvents(), TicketEvent.class), Map.entry(topics.riskSignals(), RiskSignal.class),
                Map.entry(topics.ownershipGaps(), OwnershipGap.class), Map.entry(topics.accountRisk(), AccountRisk.class),
                Map.entry(topics.escalations(), Escalation.class), Map.entry(topics.control(), Silence.class),
                Map.entry(topics.accountOwners(), AccountOwner.class), Map.entry(topics.ticketAlerts(), RiskSignal.class),
                Map.entry(topics.audit(), io.bellwether.events.AuditEntry.class));
        contract.forEach((topic, type) -> {
            var serde = serdes.value(type);
            if (compatibility != null && !compatibility.isBlank()) {
                registry.setCompatibility(serde.subject(topic), compatibility);
            }
            serde.prepare(topic);
        });
        // Replays' clock ticks: ticket-events' second record type, under its topic-record subject.
        var ticks = serdes.ticketStream().ticks();
        if (compatibility != null && !compatibility.isBlank()) {
            registry.setCompatibility(ticks.subject(topics.ticketEvents()), compatibility);
        }
        ticks.prepare(topics.ticketEvents());
    }
}
