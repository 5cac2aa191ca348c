package io.bellwether.service;

import io.bellwether.embedded.SharedStack;
import io.bellwether.events.AccountOwner;
import io.bellwether.events.Acknowledgement;
import io.bellwether.events.AuditEntry;
import io.bellwether.events.Silence;
import io.bellwether.events.TopicNames;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service manager acts from the dashboard, in a real headless Chromium against a running service with a bearer
 * token: acknowledges a signal, silences an account for an hour and names an owner, and sees each on the board; each
 * change is on its topic and audited as the dashboard's.
 */
class DashboardActionsBrowserTest {
    private static final String TOKEN = "board-s3cret";

    @Test
    @DisplayName("should acknowledge a signal, silence an account for 1 h, set an owner and acknowledge a ticket alert from the dashboard, and show each on the board")
    void shouldActFromTheDashboard() throws Exception {
        Assumptions.assumeTrue(Browser.available(), "SKIPPED: needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
                + "/usr/bin/chromedriver); .ci/run installs them");
        Map<String, String> settings = new HashMap<>(QueryInstances.settings(SharedStack.unique("board-app"), SharedStack.unique("board") + ".",
                Files.createTempDirectory("board"), QueryInstances.freePort()));
        settings.put("http.auth.token", TOKEN);
        try (BellwetherService service = QueryInstances.start(settings); Browser browser = Browser.start()) {
            TopicNames topics = service.config().topics();
            int port = service.runtime().query().port();
            QueryInstances.awaitReady(port, Duration.ofMinutes(2));
            QueryInstances.playSample(service, "bd");
            browser.open("http://127.0.0.1:" + port + "/#token=" + TOKEN);
            browser.await("the four accounts on the board", "return document.querySelectorAll('#accounts > tbody > tr').length === 4",
                    Duration.ofSeconds(90));
            // The sample's last signals may still be arriving: act on a board that has settled.
            browser.eval("window.settled = {n: document.body.dataset.signals, at: Date.now()}; return true");
            browser.await("the live signals to settle", "const n = document.body.dataset.signals; if (n !== window.settled.n) "
                    + "{ window.settled = {n, at: Date.now()}; } return Date.now() - window.settled.at > 3000", Duration.ofSeconds(90));
            browser.type("#who", "dana");
            browser.eval("document.getElementById('who').dispatchEvent(new Event('change')); return true");

            // Acknowledge: the first ticket signal of an account, from its action panel.
            String account = browser.eval("return [...document.querySelectorAll('#accounts > tbody > tr')].find(r => "
                    + "r.querySelector('button.ack:not([data-dedup^=\"no-account-owner\"])')).dataset.account").asText();
            String row = "#accounts tr[data-account=\"" + account + "\"]";
            browser.click(row + " details.act summary");
            String dedupKey = browser.eval("return document.querySelector('" + row.replace("'", "\\'")
                    + " button.ack:not([data-dedup^=\"no-account-owner\"])').dataset.dedup").asText();
            browser.type(row + " input[name=note]", "calling the client");
            browser.click(row + " button.ack[data-dedup=\"" + dedupKey + "\"]");
            browser.await("the acknowledgement on the board", "return [...document.querySelectorAll('" + row.replace("'", "\\'")
                    + " .chip.acked')].some(c => c.dataset.dedup === " + QueryInstances.JSON.writeValueAsString(dedupKey)
                    + " && c.textContent.includes('✓ dana'))", Duration.ofSeconds(30));

            // Silence the account for an hour.
            // The board reloaded after the acknowledgement and kept the panel as it was; open it if it was closed.
            if (!browser.eval("return document.querySelector('" + row.replace("'", "\\'") + " details.act').open").asBoolean()) {
                browser.click(row + " details.act summary");
            }
            browser.type(row + " form.silence input[name=comment]", "migration weekend");
            browser.click(row + " form.silence button");
            browser.await("the silence on the board", "return (document.querySelector('" + row.replace("'", "\\'")
                    + " .silenced') || {}).textContent?.startsWith('silenced until') && [...document.querySelectorAll('#silences li')]"
                    + ".some(li => li.textContent.includes('accountId=" + account + "'))", Duration.ofSeconds(30));

            // Name the ownerless account's owner.
            String ownerless = browser.eval("return [...document.querySelectorAll('#accounts > tbody > tr')].find(r => "
                    + "r.querySelector('td.owner').textContent === 'nobody').dataset.account").asText();
            String ownerRow = "#accounts tr[data-account=\"" + ownerless + "\"]";
            browser.click(ownerRow + " details.act summary");
            browser.type(ownerRow + " form.owner input[name=owner]", "erin");
            browser.click(ownerRow + " form.owner button");
            browser.await("the owner on the board", "return document.querySelector('" + ownerRow.replace("'", "\\'")
                    + " td.owner').textContent === 'erin'", Duration.ofSeconds(60));
            browser.screenshot(Path.of("target", "dashboard-actions.png"));

            Acknowledgement ack = TopicRecords.readUntil(service.serdes(), topics.acks(), Acknowledgement.class,
                    acks -> acks.stream().anyMatch(a -> a.getDedupKey().equals(dedupKey))).get(0);
            assertEquals("dana", ack.getBy());
            assertEquals("calling the client", ack.getNote());
            Silence silence = TopicRecords.readUntil(service.serdes(), topics.control(), Silence.class, s -> !s.isEmpty()).get(0);
            assertEquals(Map.of("accountId", account), silence.getMatchers());
            assertEquals(3_600_000L, silence.getEndsAt().toEpochMilli() - silence.getStartsAt().toEpochMilli(), "for an hour");
            assertEquals("migration weekend", silence.getComment());
            AccountOwner owner = TopicRecords.readUntil(service.serdes(), topics.accountOwners(), AccountOwner.class,
                    owners -> owners.stream().anyMatch(o -> o.getAccountId().equals(ownerless))).get(0);
            assertEquals("erin", owner.getOwnerId());
            List<AuditEntry> audit = TopicRecords.readUntil(service.serdes(), topics.audit(), AuditEntry.class, entries -> entries.size() >= 3);
            assertEquals(List.of("owner.set", "signal.ack", "silence.add"), audit.stream().map(AuditEntry::getAction).sorted().toList());
            assertTrue(audit.stream().allMatch(e -> e.getVia().equals("dashboard") && e.getActor().equals("dana")), audit.toString());

            // Acknowledge a ticket's consolidated alert where it is seen: on the Aging & SLA board. The sample's tickets are all
            // resolved by its end; a P1 opened three days ago and still new and unassigned a day ago is at risk.
            QueryInstances.playOpenTicket(service, "bd", "Z-900", "P1", Duration.ofDays(3));
            String alertButton = "#tickets tr[data-ticket=\"bd:Z-900\"] button.ack[data-dedup^=\"ticket-at-risk/\"]";
            browser.await("the open ticket's alert on the Aging board", "return !!document.querySelector('" + alertButton.replace("'", "\\'") + "')",
                    Duration.ofSeconds(60));
            String alertKey = browser.eval("return document.querySelector('" + alertButton.replace("'", "\\'") + "').dataset.dedup").asText();
            assertEquals("ticket-at-risk/ticket/bd:Z-900", alertKey);
            browser.click("#tickets button.ack[data-dedup=\"" + alertKey + "\"]");
            browser.await("the ticket alert acknowledged on the Aging board", "return [...document.querySelectorAll('#tickets .chip.acked')]"
                    + ".some(c => c.dataset.dedup === " + QueryInstances.JSON.writeValueAsString(alertKey) + " && c.textContent.includes('✓ dana'))",
                    Duration.ofSeconds(30));
            Acknowledgement alertAck = TopicRecords.readUntil(service.serdes(), topics.acks(), Acknowledgement.class,
                    acks -> acks.stream().anyMatch(a -> a.getDedupKey().equals(alertKey))).stream()
                    .filter(a -> a.getDedupKey().equals(alertKey)).findFirst().orElseThrow();
            assertEquals("dana", alertAck.getBy());

        }
    }
}
