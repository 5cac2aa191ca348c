package io.bellwether.events;

import org.apache.avro.Schema;

import java.util.LinkedHashMap;
import java.util.Map;

/** The record types Bellwether publishes or consumes on its topics: the public, versioned contract. */
public final class Contract {
    private Contract() {
    }

    /** Top-level record schemas by simple name, in a stable order. */
    public static Map<String, Schema> topLevelSchemas() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put("TicketEvent", TicketEvent.getClassSchema());
        schemas.put("RiskSignal", RiskSignal.getClassSchema());
        schemas.put("OwnershipGap", OwnershipGap.getClassSchema());
        schemas.put("AccountRisk", AccountRisk.getClassSchema());
        schemas.put("Escalation", Escalation.getClassSchema());
        schemas.put("Silence", Silence.getClassSchema());
        schemas.put("AccountOwner", AccountOwner.getClassSchema());
        schemas.put("ClockTick", ClockTick.getClassSchema());
        schemas.put("AuditEntry", AuditEntry.getClassSchema());
        schemas.put("Acknowledgement", Acknowledgement.getClassSchema());
        schemas.put("RecurringIssues", RecurringIssues.getClassSchema());
        return schemas;
    }
}
