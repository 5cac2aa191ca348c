package io.bellwether.detect.rules;

import io.bellwether.detect.time.BusinessCalendar;
import io.bellwether.events.Priority;
import io.bellwether.events.Severity;
import io.bellwether.events.SignalKind;
import io.bellwether.events.StatusCategory;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads rules: the built-in defaults, with an optional rules file merged over them key by key, validated in
 * full at start so that a typo, a wrong zone or an impossible threshold stops the service with the file, line
 * and reason instead of surfacing as a missing alert weeks later.
 */
public final class RulesParser {
    public static final String BUILT_IN = "bellwether-default-rules.yaml";
    private static final Set<String> ACCOUNT_INFO_KEYS = Set.of("name", "owner");

    private RulesParser() {
    }

    /** The built-in rules alone. */
    public static Rules builtIn() {
        return parse(null, null);
    }

    /** The built-in rules with {@code file} merged over them. */
    public static Rules load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RulesException(file.toString(), 0, "", "cannot be read: " + e.getMessage());
        }
        return parse(text, file.getFileName().toString());
    }

    /** The built-in rules with the YAML {@code text} (named {@code source} in messages) merged over them. */
    public static Rules parse(String text, String source) {
        YamlNode builtIn = builtInTree();
        YamlNode root = builtIn;
        if (text != null) {
            YamlNode user = YamlNode.parse(new StringReader(text), source);
            if (!user.isMap()) {
                throw new RulesException(source, user.line(), "", "must be a map with sections such as defaults, accounts, calendars");
            }
            root = YamlNode.merge(withoutRedefinedCalendars(root, user), user);
        }
        return build(root, builtIn.map().get("defaults"));
    }

    /** A calendar is replaced as a whole: merging its hours with the built-in ones would add days nobody asked for. */
    private static YamlNode withoutRedefinedCalendars(YamlNode builtIn, YamlNode user) {
        YamlNode userCalendars = user.map().get("calendars");
        YamlNode builtInCalendars = builtIn.map().get("calendars");
        if (userCalendars == null || !userCalendars.isMap() || builtInCalendars == null) {
            return builtIn;
        }
        Map<String, YamlNode> kept = new LinkedHashMap<>(builtInCalendars.map());
        userCalendars.map().keySet().forEach(kept::remove);
        Map<String, YamlNode> root = new LinkedHashMap<>(builtIn.map());
        root.put("calendars", YamlNodes.mapOf(builtInCalendars.source(), builtInCalendars.line(), kept));
        return YamlNodes.mapOf(builtIn.source(), builtIn.line(), root);
    }

    private static YamlNode builtInTree() {
        try (InputStream in = RulesParser.class.getResourceAsStream("/" + BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN + " is missing from the classpath");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return YamlNode.parse(reader, "built-in rules");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + BUILT_IN, e);
        }
    }

    private static Rules build(YamlNode rootNode, YamlNode builtInDefaults) {
        Section root = new Section(rootNode, "");
        // Each part is checked on its own, so one run reports every problem of the file, not only the first.
        Problems problems = new Problems();
        int version = problems.check(() -> root.integer("version", 1), 1);
        // Not collected: every rule set below names a calendar, so a broken calendar would only echo as their problems.
        Map<String, BusinessCalendar> calendars = calendars(root.section("calendars"));

        YamlNode defaultsNode = root.raw("defaults");
        RuleSet defaults = problems.check(() -> ruleSet(defaultsNode, "defaults", calendars), null);
        // Categories and accounts are checked over defaults that parse, so their own problems are not hidden behind one there.
        YamlNode checkedOver = defaults != null ? defaultsNode : builtInDefaults;

        Section categories = root.section("categories");
        Map<String, YamlNode> categoryTrees = new LinkedHashMap<>();
        for (String category : categories.keys()) {
            YamlNode tree = categories.raw(category);
            problems.check(() -> ruleSet(YamlNode.merge(checkedOver, tree), "categories." + category, calendars), null);
            categoryTrees.put(category, tree);
        }
        problems.run(categories::finish);

        Section accountsSection = root.section("accounts");
        Map<String, Rules.AccountInfo> accounts = new LinkedHashMap<>();
        Map<String, YamlNode> accountTrees = new LinkedHashMap<>();
        for (String accountId : accountsSection.keys()) {
            YamlNode tree = accountsSection.raw(accountId);
            String path = "accounts." + accountId;
            if (!tree.isMap()) {
                problems.add(Section.error(tree, path, "must be a map (name, owner, and any section of 'defaults')"));
                continue;
            }
            Map<String, YamlNode> info = new LinkedHashMap<>();
            Map<String, YamlNode> rules = new LinkedHashMap<>();
            tree.map().forEach((k, v) -> (ACCOUNT_INFO_KEYS.contains(k) ? info : rules).put(k, v));
            YamlNode rulesTree = subMap(tree, rules);
            problems.check(() -> ruleSet(YamlNode.merge(checkedOver, rulesTree), path, calendars), null);
            accountTrees.put(accountId, rulesTree);
            accounts.put(accountId, new Rules.AccountInfo(scalar(info.get("name")), scalar(info.get("owner"))));
        }
        problems.run(accountsSection::finish);

        Rules.Surge surge = problems.check(() -> surge(root.section("surge")), null);
        Section technicians = root.section("technicians");
        Rules.Overload overload = problems.check(() -> overload(technicians.section("overload")), null);
        Rules.DependencyMagnet magnet = problems.check(() -> magnet(technicians.section("dependencyMagnet")), null);
        Rules.SustainedLoad sustained = problems.check(() -> sustainedLoad(technicians.section("sustainedLoad"), calendars), null);
        problems.run(technicians::finish);
        Section lifecycleSection = root.section("lifecycle");
        Rules.Lifecycle lifecycle = problems.check(() -> new Rules.Lifecycle(lifecycleSection.duration("minUpdateInterval"),
                lifecycleSection.duration("repeatInterval")), null);
        problems.run(lifecycleSection::finish);
        Rules.Security security = problems.check(() -> security(root.section("security")), null);
        Rules.Tiers tiers = problems.check(() -> tiers(root.section("tiers")), null);
        problems.run(root::finish);
        RulesException unknownKeys = root.refusals(null);
        if (unknownKeys != null) {
            unknownKeys.problems().forEach(problems::add);
        }
        problems.throwIfAny();

        return new Rules(version, calendars, defaults, categoryTrees.keySet(), accounts, surge, overload, magnet, sustained, tiers, lifecycle, security,
                (accountId, category) -> {
                    YamlNode tree = defaultsNode;
                    if (category != null) {
                        tree = YamlNode.merge(tree, categoryTrees.get(category));
                    }
                    if (accountId != null) {
                        tree = YamlNode.merge(tree, accountTrees.get(accountId));
                    }
                    return ruleSet(tree, "effective rules", calendars);
                });
    }

    /**
     * The problems found so far. A setting inherited from {@code defaults} is checked again under every category and
     * account; its problem is reported once, at its own line.
     */
    private static final class Problems {
        private final List<RulesException> found = new ArrayList<>();
        private final Set<String> places = new HashSet<>();

        <T> T check(java.util.function.Supplier<T> part, T otherwise) {
            try {
                return part.get();
            } catch (RulesException e) {
                add(e);
                return otherwise;
            }
        }

        void run(Runnable part) {
            check(() -> {
                part.run();
                return null;
            }, null);
        }

        void add(RulesException problems) {
            // A part may have found several (every unknown key of a section): each is one problem of the file.
            for (RulesException problem : problems.problems()) {
                if (problem.line() <= 0 || places.add(problem.source() + ":" + problem.line())) {
                    found.add(problem);
                }
            }
        }

        void throwIfAny() {
            if (!found.isEmpty()) {
                List<RulesException> ordered = new ArrayList<>(found);
                ordered.sort(java.util.Comparator.comparing(RulesException::source).thenComparingInt(RulesException::line));
                throw RulesException.of(ordered);
            }
        }
    }

    private static YamlNode subMap(YamlNode original, Map<String, YamlNode> entries) {
        return YamlNodes.mapOf(original.source(), original.line(), entries);
    }

    private static String scalar(YamlNode node) {
        return node == null ? null : node.scalar();
    }

    static RuleSet ruleSet(YamlNode node, String path, Map<String, BusinessCalendar> calendars) {
        Section s = new Section(node, path);
        RuleSet read;
        try {
            read = readRuleSet(s, calendars);
        } catch (RulesException e) {
            throw s.refusals(e);
        }
        RulesException refused = s.refusals(null);
        if (refused != null) {
            throw refused;
        }
        return read;
    }

    private static RuleSet readRuleSet(Section s, Map<String, BusinessCalendar> calendars) {
        String calendar = calendarRef(s, "calendar", calendars);
        Section byPriority = s.section("calendarByPriority");
        Map<Priority, String> calendarByPriority = new EnumMap<>(Priority.class);
        for (String key : byPriority.keys()) {
            YamlNode keyNode = byPriority.raw(key);
            Priority p = Section.parseEnum(scalarNode(keyNode, key), byPriority.child(key), Priority.class);
            calendarByPriority.put(p, calendarRef(byPriority, key, calendars));
        }
        byPriority.finish();

        Section u = s.section("unassigned");
        RuleSet.Unassigned unassigned = new RuleSet.Unassigned(u.bool("enabled"), u.integer("version", 1), u.byPriority("threshold"));
        u.finish();

        Section sla = s.section("sla");
        List<Double> warnAt = new ArrayList<>();
        for (YamlNode item : sla.list("warnAt")) {
            double f;
            try {
                f = Double.parseDouble(item.scalar());
            } catch (RuntimeException e) {
                throw Section.error(item, sla.child("warnAt"), "'" + item.scalar() + "' is not a fraction like 0.75");
            }
            if (f <= 0 || f >= 1) {
                throw Section.error(item, sla.child("warnAt"), f + " must be between 0 and 1 (the breach at 1.0 is built in)");
            }
            if (!warnAt.isEmpty() && f <= warnAt.get(warnAt.size() - 1)) {
                throw Section.error(item, sla.child("warnAt"), "fractions must increase");
            }
            warnAt.add(f);
        }
        if (warnAt.size() > 3) {
            throw Section.error(sla.raw("warnAt"), sla.child("warnAt"), "at most 3 warning fractions (INFO, WARNING, ERROR)");
        }
        RuleSet.Sla slaRule = new RuleSet.Sla(sla.bool("enabled"), sla.integer("version", 1),
                sla.enumSet("pauseOn", StatusCategory.class), sla.enumValue("onReopen", RuleSet.ReopenPolicy.class),
                List.copyOf(warnAt), positive(sla, "response"), positive(sla, "resolution"));
        sla.finish();

        Section a = s.section("aging");
        Duration openTooLong = a.duration("openTooLong");
        if (openTooLong.toDays() < 1 || !openTooLong.equals(Duration.ofDays(openTooLong.toDays()))) {
            throw Section.error(a.raw("openTooLong"), a.child("openTooLong"), "must be whole business days, e.g. 5d");
        }
        RuleSet.Aging aging = new RuleSet.Aging(a.bool("enabled"), a.integer("version", 1), positive(a, "noActivity"),
                (int) openTooLong.toDays(), a.bool("unknownActorIsAgent"));
        a.finish();

        Section r = s.section("reopenLoop");
        RuleSet.ReopenLoop reopenLoop = new RuleSet.ReopenLoop(r.bool("enabled"), r.integer("version", 1), r.integer("reopens", 1),
                r.duration("quietPeriod"));
        r.finish();

        Section p = s.section("pingPong");
        Set<String> bounceLevels = new LinkedHashSet<>(p.strings("count"));
        if (bounceLevels.isEmpty() || !Set.of("team", "person").containsAll(bounceLevels)) {
            throw Section.error(p.raw("count"), p.child("count"), "must list team, person or both, e.g. [team]");
        }
        RuleSet.PingPong pingPong = new RuleSet.PingPong(p.bool("enabled"), p.integer("version", 1), p.integer("maxReassignments", 0),
                p.integer("bounces", 1), p.duration("settleAfter"), Set.copyOf(bounceLevels), p.bool("longerCycles"));
        p.finish();

        Section f = s.section("repeatFriction");
        RuleSet.RepeatFriction repeat = new RuleSet.RepeatFriction(f.bool("enabled"), f.integer("version", 1), f.integer("tickets", 2),
                positiveDuration(f, "window"), f.integer("followUps", 1), positiveDuration(f, "followUpWindow"));
        f.finish();

        Section rr = s.section("reopenRate");
        RuleSet.ReopenRate reopenRate = new RuleSet.ReopenRate(rr.bool("enabled"), rr.integer("version", 1),
                positiveDuration(rr, "window"), positiveDuration(rr, "baseline"), rr.decimal("factor", 1.0, 100.0),
                rr.decimal("minRate", 0.0, 1.0), rr.integer("minResolved", 1), rr.integer("minReopens", 1));
        rr.finish();

        Section nm = s.section("nearMissRate");
        RuleSet.NearMissRate nearMiss = new RuleSet.NearMissRate(nm.bool("enabled"), nm.integer("version", 1), nm.decimal("nearMissAt", 0.5, 0.99),
                positiveDuration(nm, "window"), positiveDuration(nm, "baseline"), nm.decimal("factor", 1.0, 100.0),
                nm.decimal("minRate", 0.0, 1.0), nm.integer("minResolved", 1), nm.integer("minNearMisses", 1), nm.bool("teams"));
        nm.finish();

        Section c = s.section("ownerChurn");
        RuleSet.OwnerChurn churn = new RuleSet.OwnerChurn(c.bool("enabled"), c.integer("version", 1), positiveDuration(c, "window"),
                c.integer("minTickets", 1), c.decimal("handoffsPerTicket", 0.1, 100.0), c.integer("minTechnicians", 2));
        c.finish();

        Section o = s.section("noAccountOwner");
        RuleSet.NoAccountOwner noOwner = new RuleSet.NoAccountOwner(o.bool("enabled"), o.integer("version", 1),
                o.enumValue("minSeverity", Severity.class), positiveDuration(o, "recheck"));
        o.finish();

        Section e = s.section("escalation");
        RuleSet.Escalation escalation = new RuleSet.Escalation(e.enumValue("topPriority", Priority.class),
                new LinkedHashSet<>(e.strings("statuses")), positiveDuration(e, "lookBack"));
        e.finish();

        Section risk = s.section("accountRisk");
        Section weightsSection = risk.section("weights");
        Map<SignalKind, Double> weights = new EnumMap<>(SignalKind.class);
        for (String key : weightsSection.keys()) {
            SignalKind kind = Section.parseEnum(scalarNode(weightsSection.raw(key), key), weightsSection.child(key), SignalKind.class);
            weights.put(kind, weightsSection.decimal(key, 0, 100));
        }
        weightsSection.finish();
        Section factorSection = risk.section("severityFactor");
        Map<Severity, Double> factors = new EnumMap<>(Severity.class);
        for (Severity sev : Severity.values()) {
            factors.put(sev, factorSection.decimal(sev.name(), 0, 1));
        }
        factorSection.finish();
        Section bandSection = risk.section("bands");
        Map<String, Double> bands = new LinkedHashMap<>();
        double last = 0;
        for (String band : List.of("LOW", "MODERATE", "HIGH", "CRITICAL")) {
            double lower = bandSection.decimal(band, 0, 100);
            if (lower < last) {
                throw Section.error(bandSection.raw(band), bandSection.child(band), "bands must not decrease");
            }
            bands.put(band, lower);
            last = lower;
        }
        bandSection.finish();
        risk.finish();
        RuleSet.TicketAlert ticketAlert = ticketAlert(s.section("ticketAlert"));
        s.finish();

        return new RuleSet(calendar, calendarByPriority, unassigned, slaRule, aging, reopenLoop, pingPong, repeat,
                reopenRate, nearMiss, churn, noOwner, escalation, new RuleSet.AccountRisk(weights, factors, bands), ticketAlert);
    }

    private static RuleSet.TicketAlert ticketAlert(Section t) {
        Set<SignalKind> raiseOn = t.enumSet("raiseOn", SignalKind.class);
        for (SignalKind kind : raiseOn) {
            if (!TICKET_KINDS.contains(kind)) {
                throw Section.error(t.raw("raiseOn"), t.child("raiseOn"), kind + " is not a ticket-level kind; one of " + TICKET_KINDS);
            }
        }
        Map<Priority, RuleSet.AgeLimit> likely = new EnumMap<>(Priority.class);
        Section l = t.section("likelyToMiss");
        for (String key : l.keys()) {
            Priority p = Section.parseEnum(scalarNode(l.raw(key), key), l.child(key), Priority.class);
            likely.put(p, ageLimit(l, key));
        }
        l.finish();
        Map<String, String> basis = new LinkedHashMap<>();
        Section b = t.section("basis");
        for (String key : b.keys()) {
            String[] parts = key.trim().split("\\s+");
            Section.parseEnum(scalarNode(b.raw(key), parts[0]), b.child(key), Priority.class);
            if (parts.length > 2 || (parts.length == 2 && !isDay(parts[1]))) {
                throw Section.error(b.raw(key), b.child(key), "keys are a priority (P3) or a priority and a day (P3 MONDAY)");
            }
            basis.put(String.join(" ", parts), b.string(key));
        }
        b.finish();
        RuleSet.TicketAlert alert = new RuleSet.TicketAlert(t.bool("enabled"), t.integer("version", 1), raiseOn, likely, basis);
        t.finish();
        return alert;
    }

    /** {@code 122h} for every opening day, or {@code {MONDAY: 81h, THURSDAY: 122h, default: 100h}}. */
    private static RuleSet.AgeLimit ageLimit(Section parent, String key) {
        YamlNode node = parent.raw(key);
        if (node.isScalar()) {
            return new RuleSet.AgeLimit(nonNegative(parent, key), Map.of());
        }
        Section days = parent.section(key);
        Map<java.time.DayOfWeek, Duration> byDay = new EnumMap<>(java.time.DayOfWeek.class);
        Duration fallback = null;
        for (String day : days.keys()) {
            if (day.equals("default")) {
                fallback = nonNegative(days, day);
            } else if (isDay(day)) {
                byDay.put(java.time.DayOfWeek.valueOf(day), nonNegative(days, day));
            } else {
                throw Section.error(days.raw(day), days.child(day), "'" + day + "' is not a day (MONDAY .. SUNDAY) or 'default'");
            }
        }
        days.finish();
        return new RuleSet.AgeLimit(fallback, byDay);
    }

    private static Duration nonNegative(Section s, String key) {
        Duration d = s.duration(key);
        if (d.isNegative()) {
            throw Section.error(s.raw(key), s.child(key), "must not be negative");
        }
        return d;
    }

    private static boolean isDay(String text) {
        for (java.time.DayOfWeek day : java.time.DayOfWeek.values()) {
            if (day.name().equals(text)) {
                return true;
            }
        }
        return false;
    }

    /** The kinds a ticket's own rules decide: what a consolidated ticket alert can be made of. */
    private static final Set<SignalKind> TICKET_KINDS = Set.of(SignalKind.UNASSIGNED, SignalKind.SLA_RISK, SignalKind.SLA_BREACH,
            SignalKind.AGING_NO_ACTIVITY, SignalKind.AGING_OPEN_TOO_LONG, SignalKind.REOPEN_LOOP, SignalKind.PING_PONG);

    private static Rules.Surge surge(Section s) {
        Set<String> allowed = Set.of("category", "configurationItem", "vendor");
        List<String> dimensions = s.strings("dimensions");
        for (String d : dimensions) {
            if (!allowed.contains(d)) {
                throw Section.error(s.raw("dimensions"), s.child("dimensions"), "'" + d + "' is not one of " + allowed);
            }
        }
        Rules.Surge surge = new Rules.Surge(s.bool("enabled"), s.integer("version", 1), positiveDuration(s, "window"),
                positiveDuration(s, "baseline"), s.decimal("factor", 1.0, 1000.0), s.integer("minTickets", 1),
                s.integer("minAccounts", 1), List.copyOf(dimensions), s.enumSet("inhibits", SignalKind.class));
        if (surge.baseline().compareTo(surge.window()) <= 0) {
            throw Section.error(s.raw("baseline"), s.child("baseline"), "must be longer than the window");
        }
        s.finish();
        return surge;
    }

    private static Rules.Security security(Section s) {
        List<String> fields = securityFields(s, "fields");
        Section indicatorsSection = s.section("indicators");
        List<Rules.Indicator> indicators = new ArrayList<>();
        for (String name : indicatorsSection.keys()) {
            Section i = indicatorsSection.section(name);
            if (!name.matches("[a-z0-9][a-z0-9-]{0,40}")) {
                throw Section.error(i.node(), indicatorsSection.child(name), "an indicator's name is lower-case letters, digits and '-'");
            }
            boolean enabled = !i.has("enabled") || i.bool("enabled");
            io.bellwether.events.Severity severity = Section.parseEnum(i.raw("severity"), i.child("severity"), io.bellwether.events.Severity.class);
            List<String> terms = new ArrayList<>();
            for (String term : i.strings("terms")) {
                String clean = term.trim().replaceAll("\\s+", " ");
                if (clean.length() < 3) {
                    throw Section.error(i.raw("terms"), i.child("terms"), "'" + term + "' is too short to mean anything (3 characters or more)");
                }
                terms.add(clean);
            }
            if (terms.isEmpty()) {
                throw Section.error(i.raw("terms"), i.child("terms"), "needs at least one term");
            }
            List<String> own = i.has("fields") ? securityFields(i, "fields") : fields;
            i.finish();
            if (enabled) {
                indicators.add(new Rules.Indicator(name, severity, List.copyOf(terms), own));
            }
        }
        indicatorsSection.finish();
        Section b = s.section("burst");
        Rules.Burst burst = new Rules.Burst(b.bool("enabled"), b.integer("version", 1), positiveDuration(b, "window"), b.integer("tickets", 2),
                b.integer("minAccounts", 1), positiveDuration(b, "accountWindow"), b.integer("accountTickets", 2));
        b.finish();
        Rules.Security security = new Rules.Security(s.bool("enabled"), s.integer("version", 1), fields, List.copyOf(indicators), burst);
        s.finish();
        return security;
    }

    private static List<String> securityFields(Section s, String key) {
        List<String> fields = s.strings(key);
        for (String field : fields) {
            if (!(field.equals("category") || field.equals("configurationItem") || field.equals("vendor")
                    || (field.startsWith("attributes.") && field.length() > "attributes.".length()))) {
                throw Section.error(s.raw(key), s.child(key), "'" + field + "' is not one of category, configurationItem, vendor, attributes.<name>");
            }
        }
        return List.copyOf(fields);
    }

    private static Rules.Overload overload(Section s) {
        Rules.Overload overload = new Rules.Overload(s.bool("enabled"), s.integer("version", 1), s.decimal("share", 0.01, 1.0),
                s.integer("minTickets", 1), s.integer("minTechnicians", 1), s.enumSet("priorities", Priority.class));
        s.finish();
        return overload;
    }

    private static Rules.DependencyMagnet magnet(Section s) {
        Rules.DependencyMagnet magnet = new Rules.DependencyMagnet(s.bool("enabled"), s.integer("version", 1),
                positiveDuration(s, "window"), s.integer("accounts", 2));
        s.finish();
        return magnet;
    }

    private static Rules.SustainedLoad sustainedLoad(Section s, Map<String, BusinessCalendar> calendars) {
        String calendar = knownCalendar(s, "calendar", s.string("calendar"), calendars);
        Section byTechnician = s.section("technicianCalendars");
        Map<String, String> technicianCalendars = new java.util.TreeMap<>();
        for (String technician : byTechnician.keys()) {
            technicianCalendars.put(technician, knownCalendar(byTechnician, technician, byTechnician.string(technician), calendars));
        }
        byTechnician.finish();
        int weeks = s.integer("weeks", 1);
        int minWeeks = s.integer("minWeeks", 1);
        if (minWeeks > weeks) {
            throw Section.error(s.raw("minWeeks"), s.child("minWeeks"), minWeeks + " is more than weeks (" + weeks + ")");
        }
        Rules.SustainedLoad rule = new Rules.SustainedLoad(s.bool("enabled"), s.integer("version", 1), weeks, minWeeks,
                s.decimal("loadFactor", 1.0, 100.0), s.integer("minTickets", 1), s.integer("minTechnicians", 2),
                s.integer("outOfHoursDays", 1), calendar, Map.copyOf(technicianCalendars));
        s.finish();
        return rule;
    }

    private static Rules.Tiers tiers(Section s) {
        String attribute = s.string("attribute").trim();
        Section teamSection = s.section("teams");
        Map<String, Integer> teams = new java.util.TreeMap<>();
        for (String team : teamSection.keys()) {
            Integer level = Rules.Tiers.parse(teamSection.string(team));
            if (level == null || level < 1) {
                throw Section.error(teamSection.raw(team), teamSection.child(team), "'" + teamSection.string(team)
                        + "' is not a support level (write 1, L1, Tier 1)");
            }
            teams.put(team, level);
        }
        teamSection.finish();
        Section intake = s.section("intake");
        Rules.Tiers tiers = new Rules.Tiers(s.bool("enabled"), s.integer("version", 1), attribute.isEmpty() ? null : attribute,
                Map.copyOf(teams), s.integer("topTier", 2), positiveDuration(intake, "window"), intake.decimal("maxShare", 0.01, 1.0),
                intake.integer("minTickets", 1));
        intake.finish();
        s.finish();
        return tiers;
    }

    private static String knownCalendar(Section s, String key, String id, Map<String, BusinessCalendar> calendars) {
        if (!calendars.containsKey(id)) {
            throw Section.error(s.raw(key), s.child(key), "unknown calendar '" + id + "' (defined: " + new java.util.TreeSet<>(calendars.keySet()) + ")");
        }
        return id;
    }

    private static YamlNode scalarNode(YamlNode at, String text) {
        return YamlNodes.scalar(at.source(), at.line(), text);
    }

    private static Map<Priority, Duration> positive(Section s, String key) {
        Map<Priority, Duration> values = s.byPriority(key);
        values.forEach((p, d) -> {
            if (d.isZero()) {
                throw Section.error(s.raw(key), s.child(key), "the " + p + " value must be more than zero");
            }
        });
        return values;
    }

    private static Duration positiveDuration(Section s, String key) {
        Duration d = s.duration(key);
        if (d.isZero()) {
            throw Section.error(s.raw(key), s.child(key), "must be more than zero");
        }
        return d;
    }

    private static String calendarRef(Section s, String key, Map<String, BusinessCalendar> calendars) {
        String id = s.string(key);
        if (!calendars.containsKey(id)) {
            throw Section.error(s.raw(key), s.child(key), "unknown calendar '" + id + "' (defined: " + calendars.keySet() + ")");
        }
        return id;
    }

    private static Map<String, BusinessCalendar> calendars(Section section) {
        Map<String, BusinessCalendar> calendars = new LinkedHashMap<>();
        for (String id : section.keys()) {
            Section c = section.section(id);
            String zoneText = c.string("zone");
            ZoneId zone;
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                throw Section.error(c.raw("zone"), c.child("zone"), "'" + zoneText + "' is not an IANA time zone (e.g. Europe/Berlin, America/New_York)");
            }
            Section hours = c.section("hours");
            Map<DayOfWeek, List<BusinessCalendar.Hours>> weekly = new EnumMap<>(DayOfWeek.class);
            for (String daySpec : hours.keys()) {
                YamlNode value = hours.raw(daySpec);
                List<DayOfWeek> days = days(daySpec, value, hours.child(daySpec));
                List<BusinessCalendar.Hours> spans = hoursOf(value, hours.child(daySpec));
                for (DayOfWeek day : days) {
                    if (weekly.containsKey(day)) {
                        throw Section.error(value, hours.child(daySpec), day + " is given more than once");
                    }
                    weekly.put(day, spans);
                }
            }
            hours.finish();
            Set<LocalDate> holidays = new HashSet<>();
            for (YamlNode item : c.has("holidays") ? c.list("holidays") : List.<YamlNode>of()) {
                try {
                    holidays.add(LocalDate.parse(item.scalar().trim()));
                } catch (RuntimeException e) {
                    throw Section.error(item, c.child("holidays"), "'" + item.scalar() + "' is not a date like 2026-12-25");
                }
            }
            c.finish();
            try {
                calendars.put(id, new BusinessCalendar(id, zone, weekly, holidays));
            } catch (IllegalArgumentException e) {
                throw Section.error(c.node(), section.child(id), e.getMessage());
            }
        }
        section.finish();
        return calendars;
    }

    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private static List<DayOfWeek> days(String spec, YamlNode at, String path) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String[] ends = s.split("-");
        if (ends.length > 2) {
            throw Section.error(at, path, "'" + spec + "' is not a day or a range like mon-fri");
        }
        int from = dayIndex(ends[0], at, path);
        int to = ends.length == 2 ? dayIndex(ends[1], at, path) : from;
        if (to < from) {
            throw Section.error(at, path, "'" + spec + "' runs backwards; write the range from Monday towards Sunday");
        }
        List<DayOfWeek> days = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            days.add(DayOfWeek.of(i + 1));
        }
        return days;
    }

    private static int dayIndex(String name, YamlNode at, String path) {
        String key = name.length() >= 3 ? name.substring(0, 3) : name;
        int index = DAY_NAMES.indexOf(key);
        if (index < 0) {
            throw Section.error(at, path, "'" + name + "' is not a weekday (mon, tue, wed, thu, fri, sat, sun)");
        }
        return index;
    }

    private static List<BusinessCalendar.Hours> hoursOf(YamlNode value, String path) {
        List<String> parts = new ArrayList<>();
        if (value.isList()) {
            value.list().forEach(item -> parts.add(item.scalar()));
        } else if (value.scalar() != null) {
            for (String part : value.scalar().split(",")) {
                parts.add(part);
            }
        }
        List<BusinessCalendar.Hours> spans = new ArrayList<>();
        for (String part : parts) {
            String text = part == null ? "" : part.trim();
            if (text.isEmpty() || text.equalsIgnoreCase("closed")) {
                continue;
            }
            String[] ends = text.split("-");
            try {
                LocalTime start = LocalTime.parse(ends[0].trim());
                LocalTime end = ends[1].trim().equals("24:00") ? LocalTime.MAX : LocalTime.parse(ends[1].trim());
                BusinessCalendar.Hours hours = new BusinessCalendar.Hours(start, end);
                if (!spans.isEmpty() && !start.isAfter(spans.get(spans.size() - 1).end())
                        && !spans.get(spans.size() - 1).toMidnight() && start.isBefore(spans.get(spans.size() - 1).end())) {
                    throw new IllegalArgumentException("spans overlap");
                }
                spans.add(hours);
            } catch (RuntimeException e) {
                throw Section.error(value, path, "'" + text + "' is not working hours like 08:00-18:00 (" + e.getMessage() + ")");
            }
        }
        return spans;
    }
}
