package io.bellwether.detect.rules;

import io.bellwether.detect.time.BusinessCalendar;
import io.bellwether.events.Priority;
import io.bellwether.events.SignalKind;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * A validated rules file: calendars, per-ticket and per-account rule settings with their category and account
 * overrides, the cross-account rules (surges, technicians) and the alert lifecycle. Immutable; shared by all
 * stream threads.
 */
public final class Rules {
    private final int version;
    private final Map<String, BusinessCalendar> calendars;
    private final RuleSet defaults;
    private final Set<String> overriddenCategories;
    private final Map<String, AccountInfo> accounts;
    private final Surge surge;
    private final Overload overload;
    private final DependencyMagnet dependencyMagnet;
    private final SustainedLoad sustainedLoad;
    private final Tiers tiers;
    private final Lifecycle lifecycle;
    private final Security security;
    private final BiFunction<String, String, RuleSet> resolver;
    private final Map<String, RuleSet> cache = new ConcurrentHashMap<>();

    /** Account details that are not rule settings. */
    public record AccountInfo(String name, String owner) {
    }

    public record Surge(boolean enabled, int version, Duration window, Duration baseline, double factor, int minTickets,
                        int minAccounts, List<String> dimensions, Set<SignalKind> inhibits) {
    }

    public record Overload(boolean enabled, int version, double share, int minTickets, int minTechnicians,
                           Set<Priority> priorities) {
    }

    public record DependencyMagnet(boolean enabled, int version, Duration window, int accounts) {
    }

    /**
     * SUSTAINED_LOAD: a technician heavy in at least {@code minWeeks} of the last {@code weeks} complete calendar weeks. A
     * week is heavy when they worked at least {@code loadFactor} x the team's median number of tickets and at least
     * {@code minTickets}, in a team where at least {@code minTechnicians} worked that week; or when at least
     * {@code outOfHoursDays} days they made events of their own outside their calendar's hours. Weeks and hours are the
     * technician's calendar's ({@code technicianCalendars}, else {@code calendar}).
     */
    public record SustainedLoad(boolean enabled, int version, int weeks, int minWeeks, double loadFactor, int minTickets,
                                int minTechnicians, int outOfHoursDays, String calendar, Map<String, String> technicianCalendars) {
        /** The calendar id whose hours and weeks are this technician's. */
        public String calendarOf(String technician) {
            return technicianCalendars.getOrDefault(technician, calendar);
        }
    }

    /**
     * Support levels. A ticket's level is its event's {@code attribute} when present, else its team's level in
     * {@code teams}; unknown otherwise (no tier signal). TIER_INTAKE watches teams at {@code topTier}: escalations from
     * lower levels at least {@code maxShare} of their new work over {@code intakeWindow}, and at least {@code minTickets}.
     */
    public record Tiers(boolean enabled, int version, String attribute, Map<String, Integer> teams, int topTier, Duration intakeWindow,
                        double maxShare, int minTickets) {
        /** A level written as L2, 2, Tier 2, Level 2, T2: its number; null when it holds none. */
        public static Integer parse(String text) {
            if (text == null) {
                return null;
            }
            String digits = text.replaceAll("[^0-9]", "");
            if (digits.isEmpty() || digits.length() > 2) {
                return null;
            }
            return Integer.parseInt(digits);
        }
    }

    public record Lifecycle(Duration minUpdateInterval, Duration repeatInterval) {
    }

    /**
     * Security indicators: named lists of terms looked for, case-insensitively and as whole words or phrases, in the
     * event fields named. A match raises SECURITY_INDICATOR on its own topic.
     *
     * @param fields where to look unless an indicator says otherwise: category, configurationItem, attributes.name
     */
    public record Security(boolean enabled, int version, List<String> fields, List<Indicator> indicators, Burst burst) {
    }

    /**
     * SECURITY_BURST: at least {@code tickets} tickets matching one indicator from at least {@code minAccounts} accounts
     * within {@code window} (a campaign), or at least {@code accountTickets} tickets of one account matching any
     * indicator within {@code accountWindow} (an account under attack).
     */
    public record Burst(boolean enabled, int version, Duration window, int tickets, int minAccounts, Duration accountWindow,
                        int accountTickets) {
    }

    /** One indicator: its name (quoted in the signal), how serious a match is, its terms and where to look for them. */
    public record Indicator(String name, io.bellwether.events.Severity severity, List<String> terms, List<String> fields) {
    }

    Rules(int version, Map<String, BusinessCalendar> calendars, RuleSet defaults, Set<String> overriddenCategories,
          Map<String, AccountInfo> accounts, Surge surge, Overload overload, DependencyMagnet dependencyMagnet,
          SustainedLoad sustainedLoad, Tiers tiers, Lifecycle lifecycle, Security security, BiFunction<String, String, RuleSet> resolver) {
        this.version = version;
        this.calendars = Map.copyOf(calendars);
        this.defaults = defaults;
        this.overriddenCategories = Set.copyOf(overriddenCategories);
        this.accounts = Map.copyOf(accounts);
        this.surge = surge;
        this.overload = overload;
        this.dependencyMagnet = dependencyMagnet;
        this.sustainedLoad = sustainedLoad;
        this.tiers = tiers;
        this.lifecycle = lifecycle;
        this.security = security;
        this.resolver = resolver;
    }

    /** The settings for a ticket of this account and category (either may be null). */
    public RuleSet forTicket(String accountId, String category) {
        boolean accountOverride = accountId != null && accounts.containsKey(accountId);
        boolean categoryOverride = category != null && overriddenCategories.contains(category);
        if (!accountOverride && !categoryOverride) {
            return defaults;
        }
        String key = (accountOverride ? accountId : "") + '\u0000' + (categoryOverride ? category : "");
        return cache.computeIfAbsent(key, k -> resolver.apply(accountOverride ? accountId : null, categoryOverride ? category : null));
    }

    /** The settings for account-level rules of this account. */
    public RuleSet forAccount(String accountId) {
        return forTicket(accountId, null);
    }

    public RuleSet defaults() {
        return defaults;
    }

    public BusinessCalendar calendar(String id) {
        BusinessCalendar calendar = calendars.get(id);
        if (calendar == null) {
            throw new IllegalArgumentException("unknown calendar '" + id + "'");
        }
        return calendar;
    }

    public Map<String, BusinessCalendar> calendars() {
        return calendars;
    }

    /** The configured owner of an account, or null. */
    public String accountOwner(String accountId) {
        AccountInfo info = accountId == null ? null : accounts.get(accountId);
        return info == null ? null : info.owner();
    }

    public Map<String, AccountInfo> accounts() {
        return accounts;
    }

    public Surge surge() {
        return surge;
    }

    public Overload overload() {
        return overload;
    }

    public Tiers tiers() {
        return tiers;
    }

    public SustainedLoad sustainedLoad() {
        return sustainedLoad;
    }

    /** The calendar whose hours and weeks are this technician's. */
    public BusinessCalendar technicianCalendar(String technician) {
        return calendar(sustainedLoad.calendarOf(technician));
    }

    public DependencyMagnet dependencyMagnet() {
        return dependencyMagnet;
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    public Security security() {
        return security;
    }

    public int version() {
        return version;
    }
}
