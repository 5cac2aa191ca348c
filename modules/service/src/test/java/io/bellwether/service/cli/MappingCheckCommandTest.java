package io.bellwether.service.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bellwether mapping check} on the exports Bellwether ships with and the real history beside the clone. */
class MappingCheckCommandTest {
    private static Path resource(String name) throws Exception {
        return Path.of(MappingCheckCommandTest.class.getResource(name).toURI());
    }

    @Test
    @DisplayName("should check the shipped demo history with the bundled sample mapping: everything mapped, nothing fell through")
    void shouldCheckTheDemoHistory() throws Exception {
        CliRun run = CliRun.of("mapping", "check", "--export", resource("/demo/sample-history.csv").toString(), "--mapping", "bellwether-sample");
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("unusable 0"), run.out());
        assertTrue(!run.out().contains("FELL THROUGH"), run.out());
        assertTrue(run.out().contains("statuses (canonical <- raw):"), run.out());
    }

    @Test
    @DisplayName("should check the acme example, reporting its two unusable rows with their lines")
    void shouldCheckTheAcmeExample() throws Exception {
        CliRun run = CliRun.of("mapping", "check", "--export", resource("/exports/acme-psa.csv").toString(), "--mapping",
                resource("/exports/acme-psa.yaml").toString());
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("rows 23: mapped 21, skipped by skipWhen 0, unusable 2; 6 tickets"), run.out());
        assertTrue(run.out().contains("unusable acme-psa.csv:19:"), run.out());
        assertTrue(run.out().contains("outcome Breached=Y: 2 of 6 tickets missed their SLA"), run.out());
    }

    @Test
    @DisplayName("should check the real ServiceNow history with the bundled mapping")
    void shouldCheckTheServiceNowHistory() {
        Path export = Path.of("../../../shared/data/servicenow-incident-log/incident_event_log.csv.gz");
        Assumptions.assumeTrue(Files.isReadable(export), "SKIPPED: needs ../shared/data/servicenow-incident-log beside the clone (CI has it)");
        CliRun run = CliRun.of("mapping", "check", "--export", export.toString(), "--mapping", "servicenow-incident");
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("rows 83,526: mapped 83,526"), run.out());
        assertTrue(run.out().contains("outcome made_sla=false: 6,489 of 13,698 tickets missed their SLA"), run.out());
    }

    @Test
    @DisplayName("should refuse, with the file and key, a mapping that names a column the export lacks")
    void shouldRefuseAMissingColumn() throws Exception {
        Path mapping = Files.createTempFile("bad-mapping", ".yaml");
        Files.writeString(mapping, "source: x\nformat: csv\ndelimiter: \";\"\nfields: {ticketId: Ref, occurredAt: Changed, status: Nope}\n");
        CliRun run = CliRun.of("mapping", "check", "--export", resource("/exports/acme-psa.csv").toString(), "--mapping", mapping.toString());
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("[Nope]"), run.err());
    }
}
