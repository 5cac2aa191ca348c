package io.bellwether.detect.rules;

import io.bellwether.events.Priority;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RulesParserTest {

    private static RulesException refused(String yaml) {
        return assertThrows(RulesException.class, () -> RulesParser.parse(yaml, "rules.yaml"));
    }

    @Test
    @DisplayName("should load the built-in rules with MSP defaults")
    void shouldLoadBuiltInRules() {
        Rules rules = RulesParser.builtIn();
        assertEquals(Duration.ofMinutes(30), rules.defaults().unassigned().threshold().get(Priority.P2));
        assertEquals("24x7", rules.defaults().calendarFor(Priority.P1));
        assertEquals("default", rules.defaults().calendarFor(Priority.P3));
        assertEquals(3, rules.defaults().repeatFriction().tickets());
    }

    @Test
    @DisplayName("should merge a rules file over the defaults and an account's overrides over both")
    void shouldMergeOverrides() {
        Rules rules = RulesParser.parse("""
                calendars:
                  berlin:
                    zone: Europe/Berlin
                    hours: {mon-fri: "09:00-17:00"}
                    holidays: [2026-12-24]
                defaults:
                  unassigned: {threshold: {default: 2h}}
                categories:
                  Security:
                    unassigned: {threshold: {P3: 20m}}
                accounts:
                  acme:
                    owner: sam
                    calendar: berlin
                    sla: {resolution: {P2: 4h}}
                """, "rules.yaml");
        assertEquals(Duration.ofHours(2), rules.defaults().unassigned().threshold().get(Priority.P4));
        assertEquals(Duration.ofHours(2), rules.defaults().unassigned().threshold().get(Priority.P1),
                "a per-priority map with a default replaces the built-in one: every priority not named gets the default");
        RuleSet acme = rules.forTicket("acme", null);
        assertEquals(Duration.ofHours(4), acme.sla().resolution().get(Priority.P2));
        assertEquals(Duration.ofHours(24), acme.sla().resolution().get(Priority.P3), "without a default, only P2 is overridden");
        assertEquals("berlin", acme.calendar());
        assertEquals("sam", rules.accountOwner("acme"));
        assertEquals(Duration.ofMinutes(20), rules.forTicket("acme", "Security").unassigned().threshold().get(Priority.P3));
        assertEquals(Duration.ofHours(2), rules.forTicket("other", null).unassigned().threshold().get(Priority.P3));
    }

    @Test
    @DisplayName("should replace a built-in calendar as a whole when the file redefines it")
    void shouldReplaceRedefinedCalendar() {
        Rules rules = RulesParser.parse("""
                calendars:
                  default: {zone: Europe/Paris, hours: {mon-sun: "00:00-24:00"}, holidays: []}
                """, "rules.yaml");
        assertEquals("Europe/Paris", rules.calendar("default").zone().getId());
        assertTrue(rules.calendar("default").isWorkingTime(java.time.Instant.parse("2026-11-22T03:00:00Z").toEpochMilli()), "Sunday night");
        assertTrue(rules.calendars().containsKey("24x7"), "other built-in calendars stay");
    }

    @Test
    @DisplayName("should refuse a misspelt setting, naming the file, line and path")
    void shouldRefuseUnknownSetting() {
        RulesException e = refused("""
                defaults:
                  unassigned:
                    treshold: 30m
                """);
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("rules.yaml line 3: defaults.unassigned.treshold: unknown setting"), e.getMessage());
    }

    @Test
    @DisplayName("should refuse a duration it cannot read, on its line")
    void shouldRefuseBadDuration() {
        RulesException e = refused("""
                defaults:
                  sla:
                    response: {P1: 15 minutes}
                """);
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("'15 minutes' is not a duration"), e.getMessage());
    }

    @Test
    @DisplayName("should refuse a time zone that is not IANA")
    void shouldRefuseBadZone() {
        RulesException e = refused("""
                calendars:
                  default:
                    zone: Europe/Berlln
                """);
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("not an IANA time zone"), e.getMessage());
    }

    @Test
    @DisplayName("should refuse a reference to a calendar that does not exist")
    void shouldRefuseUnknownCalendar() {
        RulesException e = refused("""
                accounts:
                  acme:
                    calendar: sydney
                """);
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("accounts.acme.calendar: unknown calendar 'sydney'"), e.getMessage());
    }

    @Test
    @DisplayName("should refuse warning fractions that do not increase")
    void shouldRefuseDecreasingFractions() {
        RulesException e = refused("""
                defaults:
                  sla:
                    warnAt: [0.75, 0.5]
                """);
        assertTrue(e.getMessage().contains("fractions must increase"), e.getMessage());
    }

    @Test
    @DisplayName("should refuse broken YAML with the line of the problem")
    void shouldRefuseBrokenYaml() {
        RulesException e = refused("""
                defaults:
                  unassigned: {threshold: 30m
                  sla: {}
                """);
        assertTrue(e.line() >= 2, e.getMessage());
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    @DisplayName("should refuse working hours it cannot read")
    void shouldRefuseBadHours() {
        RulesException e = refused("""
                calendars:
                  default:
                    zone: UTC
                    hours:
                      mon-fri: "8am to 6pm"
                """);
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("is not working hours like 08:00-18:00"), e.getMessage());
    }

    @Test
    @DisplayName("should point at the misspelt key itself when its value is a nested map, not at the line after it")
    void shouldReportAnUnknownSectionOnItsOwnLine() {
        RulesException e = refused("""
                defaults:
                  unassignd:
                    threshold: 1h
                """);
        assertEquals(2, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("defaults.unassignd: unknown setting"), e.getMessage());
    }

    @Test
    @DisplayName("should name every priority and 'default' as what a per-priority map may hold, not only the keys it happens to have")
    void shouldListEveryPriorityAsKnown() {
        RulesException e = refused("""
                defaults:
                  unassigned:
                    threshold: {default: 1h, P2: 30m, P7: 5m}
                """);
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("known here: [P1, P2, P3, P4, P5, UNKNOWN, default]"), e.getMessage());
    }

    @Test
    @DisplayName("should report every problem of a file, each at its own line, and an inherited one only once")
    void shouldReportEveryProblem() {
        RulesException e = refused("""
                defaults:
                  unassigned:
                    threshold: soon
                accounts:
                  acme:
                    name: ACME
                    aging:
                      openToLong: 5d
                  globex:
                    name: Globex
                lifecycle:
                  repeatInterval: -1
                """);
        assertEquals(3, e.problems().size(), e.getMessage());
        assertEquals(3, e.problems().get(0).line(), e.getMessage());
        assertTrue(e.problems().get(0).getMessage().contains("defaults.unassigned.threshold"), e.getMessage());
        assertEquals(8, e.problems().get(1).line(), e.getMessage());
        assertTrue(e.problems().get(1).getMessage().contains("openToLong"), e.getMessage());
        assertEquals(12, e.problems().get(2).line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("3 problems:"), e.getMessage());
    }

    @Test
    @DisplayName("should report every unknown key of one section, and the value it could not read, not only the first")
    void shouldReportEveryUnknownKeyOfASection() {
        RulesException e = refused("""
                defaults:
                  sla:
                    enabled: true
                    bogus: 1
                  aging:
                    colour: red
                  unassigned:
                    threshold: {P9: 1h}
                  ticketAlert:
                    raiseOn: [NOT_A_KIND]
                surge:
                  window: 2h
                  sizee: 5
                """);
        java.util.List<Integer> lines = e.problems().stream().map(RulesException::line).toList();
        assertEquals(java.util.List.of(4, 6, 8, 10, 13), lines, e.getMessage());
        assertTrue(e.problems().get(0).getMessage().contains("defaults.sla.bogus: unknown setting"), e.getMessage());
        assertTrue(e.problems().get(1).getMessage().contains("defaults.aging.colour: unknown setting"), e.getMessage());
        assertTrue(e.problems().get(4).getMessage().contains("surge.sizee: unknown setting"), e.getMessage());
    }

    @Test
    @DisplayName("should report a single problem as it always did")
    void shouldReportASingleProblemAlone() {
        RulesException e = refused("""
                lifecycle:
                  repeatInterval: often
                """);
        assertEquals(1, e.problems().size());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith("rules.yaml line 2: lifecycle.repeatInterval"), e.getMessage());
    }
}
