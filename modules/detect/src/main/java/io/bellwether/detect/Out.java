package io.bellwether.detect;

import io.bellwether.detect.state.FeedItem;
import io.bellwether.detect.state.SurgeNotice;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.Escalation;
import io.bellwether.events.OwnershipGap;
import io.bellwether.events.RiskSignal;

/** What a stage's processor hands downstream; the topology routes each kind to its topic or feed. */
public sealed interface Out {

    record Signal(RiskSignal signal) implements Out {
    }

    /** A transition of the consolidated ticket alert, for its own topic. */
    record Alert(RiskSignal alert) implements Out {
    }

    record Gap(OwnershipGap gap) implements Out {
    }

    /** A fact, signal note or clock tick for the aggregate stages. */
    record Feed(FeedItem item) implements Out {
    }

    record Risk(AccountRisk risk) implements Out {
    }

    record Escalated(Escalation escalation) implements Out {
    }

    /** A surge began, changed or ended; {@code key} names the occurrence. */
    record Surge(String key, SurgeNotice notice) implements Out {
    }
}
