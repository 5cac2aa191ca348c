package io.bellwether.detect.account;

import io.bellwether.detect.rules.RuleSet;
import io.bellwether.detect.rules.RulesParser;
import io.bellwether.detect.state.AccountState;
import io.bellwether.detect.state.SignalNote;
import io.bellwether.events.AccountRisk;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The account's risk picture is judged before its record is built: the judgement must be the record's own. */
class RiskPictureTest {
    @Test
    @DisplayName("should fingerprint a picture exactly as the record built from it, over many random accounts")
    void shouldFingerprintAsTheRecordWould() {
        RuleSet.AccountRisk settings = RulesParser.builtIn().forAccount("acme").accountRisk();
        Random random = new Random(7);
        SignalKind[] kinds = SignalKind.values();
        Severity[] severities = Severity.values();
        for (int run = 0; run < 2_000; run++) {
            Map<String, SignalNote> active = new HashMap<>();
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) {
                String key = "rule-" + random.nextInt(8) + "/ticket/T-" + random.nextInt(40);
                active.put(key, new SignalNote(key, "rule", kinds[random.nextInt(kinds.length)].name(),
                        severities[random.nextInt(severities.length)].name(), "RAISED", "T", "T", 1000L, 900L, "reason " + i));
            }
            AccountState state = AccountState.newBuilder().setAccountId("acme").setAccountName(run % 2 == 0 ? "Acme" : null)
                    .setOpenTicketCount(random.nextInt(20)).setRecentOpened(new ArrayList<>()).setRecentResolved(new ArrayList<>())
                    .setDays(new ArrayList<>()).setHandoffs(new ArrayList<>()).setActiveSignals(active).setRaises(new ArrayList<>())
                    .setSignals(new ArrayList<>()).setRiskHash(0).setOwnerNamed(false).setOwner(null).setNextDueAt(null).build();
            String owner = run % 3 == 0 ? "dana" : null;
            AccountRisk record = RiskScorer.score(state, settings, owner, 5_000L);
            RiskScorer.Picture picture = RiskScorer.picture(state, settings);
            assertEquals(RiskScorer.fingerprint(record), picture.fingerprint(owner), "run " + run);
            assertEquals(record, RiskScorer.record(state, picture, owner, 5_000L));
        }
    }
}
