package io.bellwether.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bellwether's topics. Every name comes from configuration (key {@code topics.<name>}); the defaults share the
 * prefix {@code bellwether.}. Nothing in a topology spells a topic name itself.
 *
 * @param ticketEvents  canonical TicketEvents in (key: ticket key)
 * @param riskSignals   RiskSignal lifecycle out (key: dedup key)
 * @param ownershipGaps OwnershipGap lifecycle out (key: dedup key)
 * @param accountRisk   AccountRisk per account, compacted (key: account id)
 * @param escalations   Escalation with lead times out (key: account id)
 * @param control       Silence records, compacted (key: silence id)
 * @param accountOwners AccountOwner records, compacted (key: account id)
 * @param surges        active surges for inhibition, compacted (key: dimension); written and read by Bellwether
 * @param deadLetter    rejected input: the original bytes, with the reason in headers
 * @param ticketAlerts  the consolidated TICKET_AT_RISK lifecycle out, one dedup key per ticket (key: dedup key)
 * @param audit         AuditEntry per operator action: silences added and expired, owners set, acknowledgements (key: the target)
 * @param acks          Acknowledgement of a signal's raise, compacted (key: dedup key)
 * @param securitySignals SECURITY_INDICATOR lifecycle out, for the security team; never on risk-signals (key: dedup key)
 * @param recurringIssues the weekly RecurringIssues report, across accounts and per account (key: 'all' or the account id)
 * @param peopleSignals SUSTAINED_LOAD lifecycle out: signals about technicians' wellbeing, for their managers only; never on
 *                      risk-signals or any topic a client may see (key: dedup key)
 */
public record TopicNames(String ticketEvents, String riskSignals, String ownershipGaps, String accountRisk,
                         String escalations, String control, String accountOwners, String surges, String deadLetter,
                         String ticketAlerts, String audit, String acks, String securitySignals,
                         String recurringIssues, String peopleSignals) {

    public static TopicNames defaults() {
        return withPrefix("bellwether.");
    }

    public static TopicNames withPrefix(String prefix) {
        return new TopicNames(prefix + "ticket-events", prefix + "risk-signals", prefix + "ownership-gaps",
                prefix + "account-risk", prefix + "escalations", prefix + "control", prefix + "account-owners",
                prefix + "surges", prefix + "dead-letter", prefix + "ticket-alerts", prefix + "audit", prefix + "acks",
                prefix + "security-signals", prefix + "recurring-issues", prefix + "people-signals");
    }

    /** Reads {@code topics.<name>} keys (e.g. {@code topics.ticket-events}) over the defaults. */
    public static TopicNames from(Map<String, String> config) {
        Map<String, String> names = asMap(defaults());
        names.replaceAll((name, fallback) -> config.getOrDefault("topics." + name, fallback));
        return new TopicNames(names.get("ticket-events"), names.get("risk-signals"), names.get("ownership-gaps"),
                names.get("account-risk"), names.get("escalations"), names.get("control"), names.get("account-owners"),
                names.get("surges"), names.get("dead-letter"), names.get("ticket-alerts"), names.get("audit"), names.get("acks"),
                names.get("security-signals"), names.get("recurring-issues"), names.get("people-signals"));
    }

    /** Config name to topic name, in a stable order. */
    public static Map<String, String> asMap(TopicNames t) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ticket-events", t.ticketEvents());
        m.put("risk-signals", t.riskSignals());
        m.put("ownership-gaps", t.ownershipGaps());
        m.put("account-risk", t.accountRisk());
        m.put("escalations", t.escalations());
        m.put("control", t.control());
        m.put("account-owners", t.accountOwners());
        m.put("surges", t.surges());
        m.put("dead-letter", t.deadLetter());
        m.put("ticket-alerts", t.ticketAlerts());
        m.put("audit", t.audit());
        m.put("acks", t.acks());
        m.put("security-signals", t.securitySignals());
        m.put("recurring-issues", t.recurringIssues());
        m.put("people-signals", t.peopleSignals());
        return m;
    }

    /** The topics whose records are the latest value per key, created with cleanup.policy=compact. */
    public boolean isCompacted(String topic) {
        return topic.equals(accountRisk) || topic.equals(control) || topic.equals(accountOwners) || topic.equals(surges) || topic.equals(acks);
    }
}
