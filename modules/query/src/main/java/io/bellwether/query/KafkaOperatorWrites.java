package io.bellwether.query;

import io.bellwether.events.AccountOwner;
import io.bellwether.events.Acknowledgement;
import io.bellwether.events.AuditEntry;
import io.bellwether.events.Silence;
import io.bellwether.events.TopicNames;
import io.bellwether.serde.EventSerdes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Operator writes through an idempotent producer with acks=all: the change, then its audit entry, both awaited. */
public final class KafkaOperatorWrites implements OperatorWrites, AutoCloseable {
    private static final long ACK_TIMEOUT_SECONDS = 15;

    private final Producer<String, byte[]> producer;
    private final EventSerdes serdes;
    private final TopicNames topics;

    public KafkaOperatorWrites(Map<String, Object> clientProperties, EventSerdes serdes, TopicNames topics) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // An operator waits for the answer: give up within the wait, so a late success never follows a reported failure.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(ACK_TIMEOUT_SECONDS) / 2);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(ACK_TIMEOUT_SECONDS) - 1_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bellwether-operator-writes");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.serdes = serdes;
        this.topics = topics;
    }

    @Override
    public void silence(Silence silence, AuditEntry audit) throws Exception {
        String topic = topics.control();
        write(new ProducerRecord<>(topic, silence.getSilenceId(), serdes.value(Silence.class).serialize(topic, silence)), audit);
    }

    @Override
    public void owner(AccountOwner owner, AuditEntry audit) throws Exception {
        String topic = topics.accountOwners();
        write(new ProducerRecord<>(topic, owner.getAccountId(), serdes.value(AccountOwner.class).serialize(topic, owner)), audit);
    }

    @Override
    public void acknowledge(Acknowledgement ack, AuditEntry audit) throws Exception {
        String topic = topics.acks();
        write(new ProducerRecord<>(topic, ack.getDedupKey(), serdes.value(Acknowledgement.class).serialize(topic, ack)), audit);
    }

    private void write(ProducerRecord<String, byte[]> change, AuditEntry audit) throws Exception {
        String auditTopic = topics.audit();
        Future<?> changed = producer.send(change);
        // Sent after the change on the same producer: an entry never records a change the broker refused.
        changed.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        producer.send(new ProducerRecord<>(auditTopic, audit.getTarget(), serdes.value(AuditEntry.class).serialize(auditTopic, audit)))
                .get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
