package io.bellwether.query;

import io.bellwether.events.AccountOwner;
import io.bellwether.events.Acknowledgement;
import io.bellwether.events.AuditEntry;
import io.bellwether.events.Silence;

/**
 * Where operators' changes go: the compacted topics the topology reads (silences on the control topic, owners on
 * account-owners, acknowledgements on acks), each followed by its audit entry. A call returns only once the broker has acknowledged
 * both, so an action the API confirmed is never lost; it throws when either was not acknowledged in time.
 */
public interface OperatorWrites {
    void silence(Silence silence, AuditEntry audit) throws Exception;

    void owner(AccountOwner owner, AuditEntry audit) throws Exception;

    void acknowledge(Acknowledgement ack, AuditEntry audit) throws Exception;
}
