package io.bellwether.detect;

import io.bellwether.detect.lifecycle.Verdict;
import io.bellwether.detect.lifecycle.VerdictBuilder;
import io.bellwether.events.SignalKind;
import io.bellwether.events.Subject;
import io.bellwether.events.SubjectType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two runs of the same input must write the same bytes, in separate JVMs too. Java's immutable Map.of / Map.copyOf
 * iterate in an order salted per JVM: where such a map's order reaches an output (which stage hears a tick first, the
 * order of evidence entries), the result differed between two backtests of the ServiceNow history (a SURGE update's
 * place among the account stage's output at the same tick). A JVM has one salt, so these check the fixed order itself.
 */
class RunToRunOrderTest {
    @Test
    @DisplayName("should tick the aggregate stages in tag order, whatever order the map it was given iterates in")
    void shouldTickTheStagesInTagOrder() {
        Map<Character, String> given = new LinkedHashMap<>();
        given.put(FeedRoute.TEAM, "technician-load");
        given.put(FeedRoute.SURGE, "surge-detection");
        given.put(FeedRoute.ACCOUNT, "account-risk");
        FeedAlignment alignment = new FeedAlignment(DetectConfig.replay(io.bellwether.events.TopicNames.defaults()), DetectMetrics.discard(),
                "aggregate-held", given);
        assertEquals(List.of("account-risk", "surge-detection", "technician-load"), alignment.tickOrder());
    }

    @Test
    @DisplayName("should keep evidence given as an unordered map in key order")
    void shouldOrderUnorderedEvidence() {
        Subject subject = Subject.newBuilder().setType(SubjectType.TEAM).setId("Network").setName("Network").build();
        Verdict verdict = new VerdictBuilder("rule", 1, SignalKind.TECHNICIAN_OVERLOAD, subject)
                .facts(Map.of("urgentHeld", "3", "teamUrgent", "4", "share", "0.75", "technicians", "5"))
                .thresholds(Map.of("share", "0.5", "minTickets", "3", "minTechnicians", "2", "priorities", "[P1, P2]"))
                .outcome(true, io.bellwether.events.Severity.WARNING, "why").build();
        assertEquals(List.of("share", "teamUrgent", "technicians", "urgentHeld"), List.copyOf(verdict.facts().keySet()));
        assertEquals(List.of("minTechnicians", "minTickets", "priorities", "share"), List.copyOf(verdict.thresholds().keySet()));
    }
}
