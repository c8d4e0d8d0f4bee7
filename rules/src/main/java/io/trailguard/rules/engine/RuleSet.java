package io.trailguard.rules.engine;

import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.Firing;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.condition.Condition;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.output.OutputFormat;
import io.trailguard.rules.text.CaseFold;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active, compiled rules. Rules are indexed by the eventName values their conditions require, so an event
 * is evaluated only against its candidate rules (those requiring its eventName plus those requiring none), in
 * load order. The index compares names ignoring case ({@link CaseFold}): Sigma rules match eventName
 * case-insensitively, and for case-sensitive (Falco) rules a case variant is only an extra candidate whose
 * condition then decides. Immutable and thread-safe; each thread evaluates with its own {@link EvaluationContext}.
 */
public final class RuleSet {
    private static final Rule[] NONE = new Rule[0];

    private final List<Rule> rules;
    private final MatchingMode matching;
    private final int fieldSlots;
    private final Candidates unconstrained;
    private final Map<String, Candidates> byEventName;
    /**
     * The candidates of eventNames as events spell them, so the common case skips case folding; bounded in entries
     * and name length, since eventName is caller-controlled text (AWS has a few thousand API names).
     */
    private final Map<String, Candidates> seenNames = new ConcurrentHashMap<>();
    private static final int SEEN_NAMES_LIMIT = 8192;
    /** Longer names are not cached (AWS API names are far shorter), so the cache stays under a few MiB. */
    private static final int SEEN_NAME_MAX_LENGTH = 128;
    private final Rule[] all;
    private final Candidates allCandidates;
    private final String hostname;
    private final Map<String, Rule> byName = new HashMap<>();
    /** The rate rules by {@link Signal#ruleTag} (the rule part of their state's keys). */
    private final Map<String, Rule> byTag = new HashMap<>();
    private final Map<String, RuleIdentity> identities = new HashMap<>();
    /** The identity of each rule of this set, by the rule object (the lookup on every alert). */
    private final Map<Rule, RuleIdentity> identityOf = new IdentityHashMap<>();
    private final String bundleVersion;
    private final RuleChains chains;
    private final RateAlerts rateAlerts;
    /**
     * The context slot where an event's rendered output is kept, per output format: formats with the same template
     * and fields share a slot, so rules with the same output render it once per event.
     */
    private final Map<OutputFormat, Integer> outputSlots = new IdentityHashMap<>();

    public RuleSet(List<Rule> rules, MatchingMode matching, int fieldSlots, String hostname) {
        this(rules, matching, fieldSlots, hostname, null);
    }

    /** @param bundleVersion the version of the rule bundle the rules came from (in every alert), or null */
    public RuleSet(List<Rule> rules, MatchingMode matching, int fieldSlots, String hostname, String bundleVersion) {
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt(Rule::position));
        this.rules = Collections.unmodifiableList(sorted);
        this.matching = matching;
        this.fieldSlots = fieldSlots;
        this.hostname = hostname;
        this.all = sorted.toArray(NONE);
        for (Rule r : sorted) {
            byName.put(r.name(), r);
            identities.put(r.name(), RuleIdentity.of(r, bundleVersion));
        }
        for (Rule r : sorted) {
            RuleIdentity id = identities.get(r.name());
            if (byName.get(r.name()) == r) {
                identityOf.put(r, id);
                if (r.isRateRule()) {
                    Rule other = byTag.put(Signal.ruleTag(r.name()), r);
                    if (other != null) {
                        throw new IllegalArgumentException("rate rules '" + other.name() + "' and '" + r.name()
                                + "' have the same state key tag: rename one");
                    }
                }
            }
        }
        this.bundleVersion = bundleVersion;
        List<Rule> free = new ArrayList<>();
        Map<String, List<Rule>> named = new HashMap<>();
        for (Rule r : sorted) {
            if (r.eventNames() == null) {
                free.add(r);
            } else {
                for (String n : r.eventNames()) {
                    List<Rule> list = named.computeIfAbsent(CaseFold.fold(n), k -> new ArrayList<>());
                    if (list.isEmpty() || list.get(list.size() - 1) != r) {
                        list.add(r); // two names that fold alike index the rule once
                    }
                }
            }
        }
        Rule[] freeRules = free.toArray(NONE);
        Map<String, Rule[]> indexed = new HashMap<>();
        for (Map.Entry<String, List<Rule>> e : named.entrySet()) {
            List<Rule> merged = new ArrayList<>(e.getValue());
            merged.addAll(free);
            merged.sort(Comparator.comparingInt(Rule::position));
            indexed.put(e.getKey(), merged.toArray(NONE));
        }
        this.chains = new RuleChains(sorted, byName);
        this.rateAlerts = new RateAlerts(hostname, this::identity);
        Map<List<Object>, Integer> byTemplate = new HashMap<>();
        for (Rule r : sorted) {
            OutputFormat f = r.output();
            if (f != null && !outputSlots.containsKey(f)) {
                List<Object> key = List.of(f.template(), f.fields());
                outputSlots.put(f, byTemplate.computeIfAbsent(key, k -> fieldSlots + byTemplate.size()));
            }
        }
        this.contextSlots = fieldSlots + byTemplate.size();
        this.unconstrained = new Candidates(freeRules);
        this.allCandidates = new Candidates(all);
        this.byEventName = new HashMap<>();
        for (Map.Entry<String, Rule[]> e : indexed.entrySet()) {
            byEventName.put(e.getKey(), new Candidates(e.getValue()));
        }
    }

    /**
     * The candidate rules of one eventName, with what an alert of each needs from this set side by side (its
     * identity, its output's slot), so evaluating them follows arrays rather than a lookup per alert.
     */
    private final class Candidates {
        final Rule[] rules;
        final RuleIdentity[] identities;
        final int[] outputSlots;
        /** Whether each is a rate rule, and its condition: read for every candidate, so kept in arrays here. */
        final boolean[] rate;
        final Condition[] conditions;

        Candidates(Rule[] rules) {
            this.rules = rules;
            this.identities = new RuleIdentity[rules.length];
            this.outputSlots = new int[rules.length];
            this.rate = new boolean[rules.length];
            this.conditions = new Condition[rules.length];
            for (int i = 0; i < rules.length; i++) {
                rate[i] = rules[i].isRateRule();
                conditions[i] = rules[i].condition();
                identities[i] = identity(rules[i]);
                Integer slot = outputSlots(rules[i]);
                this.outputSlots[i] = slot == null ? -1 : slot;
            }
        }
    }

    private Integer outputSlots(Rule r) {
        return r.output() == null ? null : outputSlots.get(r.output());
    }

    private final int contextSlots;

    public List<Rule> rules() {
        return rules;
    }

    public MatchingMode matching() {
        return matching;
    }

    public int size() {
        return rules.size();
    }

    /** A fresh evaluation context sized for this rule set (one per thread). */
    public EvaluationContext newContext() {
        return new EvaluationContext(contextSlots);
    }

    /** The rules an event must be evaluated against, in load order. */
    public Rule[] candidates(CloudTrailEvent event) {
        return candidatesOf(event).rules;
    }

    private Candidates candidatesOf(CloudTrailEvent event) {
        JsonNode name = event.record().get("eventName");
        if (name == null || name.isNull()) {
            return unconstrained;
        }
        if (!name.isTextual()) {
            return allCandidates; // odd shape: let every rule decide
        }
        String raw = name.textValue();
        Candidates r = seenNames.get(raw);
        if (r == null) {
            r = byEventName.get(CaseFold.fold(raw));
            if (r == null) {
                r = unconstrained;
            }
            if (raw.length() <= SEEN_NAME_MAX_LENGTH && seenNames.size() < SEEN_NAMES_LIMIT) {
                seenNames.put(raw, r);
            }
        }
        return r;
    }

    /** Spellings of eventNames whose candidates are cached (for tests of the bound). */
    int cachedNames() {
        return seenNames.size();
    }

    /** The rule of that name, or null. */
    public Rule rule(String name) {
        return byName.get(name);
    }

    /**
     * The rate rule whose state a key of {@link Signal#key()} belongs to, or null: by the key's rule tag, or by the
     * rule name that keys of the earlier layout start with.
     */
    public Rule ruleOfKey(String key) {
        String part = Signal.ruleOf(key);
        return Signal.isTag(part) ? byTag.get(part) : byName.get(part);
    }

    /** True when some rule is a rate rule (the keyed window path is needed). */
    public boolean hasRateRules() {
        for (Rule r : all) {
            if (r.isRateRule()) {
                return true;
            }
        }
        return false;
    }

    /** Evaluates one event against the single-event rules (rate rules are skipped). */
    public List<Alert> evaluate(CloudTrailEvent event, EvaluationContext ctx) {
        return evaluate(event, ctx, null);
    }

    /**
     * Evaluates one event: the alerts of every matching single-event rule (or of the first, in FIRST mode), and,
     * when {@code signals} is not null, one {@link Signal} per rate rule whose condition selects the event
     * (rate rules do not take part in FIRST matching: they count, they do not alert per event). An event whose
     * group_by or aggregate field is absent does not count.
     *
     * <p>A rate rule with {@linkplain AggregateSpec#inputs() inputs} (a Sigma correlation) emits one signal per
     * event input whose condition matches, grouped by that input's own fields (correlation aliases): for the
     * temporal types the signal's value names the input's step (the referenced rule); for the other types an
     * event matching several inputs with the same group and value counts once.
     */
    public List<Alert> evaluate(CloudTrailEvent event, EvaluationContext ctx, List<Signal> signals) {
        ctx.reset(event);
        List<Alert> alerts = null;
        boolean matched = false;
        EventParts parts = null;
        Candidates candidates = candidatesOf(event);
        Rule[] rules = candidates.rules;
        boolean[] rate = candidates.rate;
        Condition[] conditions = candidates.conditions;
        for (int i = 0; i < rules.length; i++) {
            if (rate[i]) {
                Rule r = rules[i];
                if (signals == null) {
                    continue;
                }
                if (!r.aggregate().inputs().isEmpty()) {
                    RateSignals.inputSignals(r, ctx, signals);
                } else if (r.matches(ctx)) {
                    Signal s = RateSignals.signal(r, ctx);
                    if (s != null) {
                        signals.add(s);
                    }
                }
                continue;
            }
            if (matched && matching == MatchingMode.FIRST) {
                continue;
            }
            if (conditions[i].test(ctx)) {
                matched = true;
                if (alerts == null) {
                    alerts = new ArrayList<>(2);
                    parts = new EventParts(ctx.event());
                }
                alerts.add(alert(rules[i], candidates.identities[i], candidates.outputSlots[i], ctx, parts));
            }
        }
        return alerts == null ? Collections.emptyList() : alerts;
    }

    /**
     * The signals that a firing of rate rule {@code inner} (for group {@code group}) feeds to the rate rules chained
     * on it (Sigma chained correlations): one per chained input, at the firing's decision time
     * ({@link Firing#windowEnd()}), carrying the last counted event's id, account, region and the output values the
     * outer rule shares with the inner one. Empty when nothing is chained on {@code inner}.
     *
     * <p>How a keyed window operator uses it: signals from {@link #evaluate} are keyed by {@link Signal#key()}; for
     * every {@link Firing} returned by {@code RateWindow.add}/{@code windowEnd} of rule {@code r} and group
     * {@code g}, call {@link #onFiring} (or {@link #rateAlert} when {@code r.aggregate().alerts()}, plus this
     * method), and route the chained signals through the same keyed logic again, keyed by their own
     * {@link Signal#key()} (a second keyed stage: the outer rule has its own group). A chain of depth
     * {@link #chainDepth()} needs that many stages (or a feedback loop); each stage looks rules up by
     * {@link #rule(String)} as for event signals.
     */
    public List<Signal> chainedSignals(Rule inner, String[] group, Firing f) {
        return chains.signals(inner, group, f);
    }

    /**
     * Everything a firing of rate rule {@code r} for group {@code group} produces: its alert (unless the rule only
     * feeds chained rules, {@code r.aggregate().alerts()} false) into {@code alerts}, and the signals of the rules
     * chained on it ({@link #chainedSignals}) into {@code chained}.
     */
    public void onFiring(Rule r, String[] group, Firing f, List<Alert> alerts, List<Signal> chained) {
        if (r.aggregate().alerts()) {
            alerts.add(rateAlert(r, group, f));
        }
        chained.addAll(chainedSignals(r, group, f));
    }

    /**
     * The keyed rate-rule stage that counts the signals of {@code r} (1 unless it is chained on other rate rules):
     * a staged operator passes a signal of a later stage's rule on unchanged, with the chained signals, so that
     * every input of a rule is counted in the same window state (see {@link #chainedSignals}).
     */
    public int stage(Rule r) {
        return chains.stage(r);
    }

    /** True when some rate rule is chained on {@code r} (its firings feed another rule). */
    public boolean feedsChains(Rule r) {
        return chains.feeds(r);
    }

    /** The longest chain of rate rules (0: no rate rules; 1: none chained; 2: one rule chained on another...). */
    public int chainDepth() {
        return chains.depth();
    }

    /** The alert of a rate rule whose window fired for a group. */
    public Alert rateAlert(Rule r, String[] group, Firing f) {
        return rateAlerts.alert(r, group, f);
    }

    /** Builds the alert of a rule that matched the context's event. */
    public Alert alert(Rule r, EvaluationContext ctx) {
        Integer slot = outputSlots(r);
        return alert(r, identity(r), slot == null ? -1 : slot, ctx, new EventParts(ctx.event()));
    }

    /**
     * The alert of {@code r} on the context's event, from the parts every alert of that event shares (its reference
     * and subject, the output rendered once per template).
     */
    private Alert alert(Rule r, RuleIdentity id, int outputSlot, EvaluationContext ctx, EventParts parts) {
        Rendered out = rendered(r.output(), outputSlot, ctx);
        return Alert.builder().rule(id).parts(out.lineParts(parts, hostname)).build();
    }

    private Rendered rendered(OutputFormat f, int slot, EvaluationContext ctx) {
        if (slot < 0) {
            return new Rendered(f, ctx);
        }
        Object kept = ctx.kept(slot);
        return kept != null ? (Rendered) kept : ctx.keep(slot, new Rendered(f, ctx));
    }

    /** An output format applied to one event: its text and output_fields. */
    private static final class Rendered {
        final String text;
        final Map<String, Object> fields;

        /** The alert parts of the last event parts asked for (one per event: a rendering is kept per event). */
        private AlertLineParts line;

        Rendered(OutputFormat f, EvaluationContext ctx) {
            this.text = f.format(ctx);
            this.fields = f.fieldValues(ctx);
        }

        AlertLineParts lineParts(EventParts parts, String hostname) {
            AlertLineParts p = line;
            if (p == null || p.event != parts.reference) {
                p = new AlertLineParts(parts.reference, parts.subject(), text, fields, hostname);
                line = p;
            }
            return p;
        }
    }

    /** What every alert of one event shares: the event reference, and the subject, extracted on first use. */
    private static final class EventParts {
        final CloudTrailEvent event;
        final EventReference reference;
        private EventSubject subject;

        EventParts(CloudTrailEvent e) {
            this.event = e;
            long millis = e.hasTime() ? e.timeMillis() : System.currentTimeMillis();
            this.reference = EventReference.at(e.eventId(), millis, e.account(), e.region());
        }

        EventSubject subject() {
            if (subject == null) {
                subject = SubjectExtractor.of(event);
            }
            return subject;
        }
    }

    /** The identity alerts of {@code r} carry (with this set's bundle version). */
    public RuleIdentity identity(Rule r) {
        RuleIdentity known = identityOf.get(r);
        if (known != null) {
            return known;
        }
        RuleIdentity id = identities.get(r.name());
        return id != null && byName.get(r.name()) == r ? id : RuleIdentity.of(r, bundleVersion);
    }

    /** The version of the rule bundle, or null. */
    public String bundleVersion() {
        return bundleVersion;
    }

    /** ISO 8601 UTC with 9 fractional digits, as Falco prints alert times. */
    public static String isoTime(long millis) {
        if (millis >= 0 && millis <= LAST_MILLIS_OF_9999) {
            return isoTimeOfYears1970To9999(millis);
        }
        Instant t = Instant.ofEpochMilli(millis);
        String s = t.toString(); // 2023-07-10T11:42:05Z or with .SSS
        int dot = s.indexOf('.');
        String base = dot < 0 ? s.substring(0, s.length() - 1) : s.substring(0, dot);
        int nanos = t.getNano();
        StringBuilder sb = new StringBuilder(base.length() + 11).append(base).append('.');
        for (int unit = 100_000_000; unit > 0; unit /= 10) {
            sb.append((char) ('0' + nanos / unit % 10));
        }
        return sb.append('Z').toString();
    }

    /** 9999-12-31T23:59:59.999Z: up to here a year has four digits and {@link #isoTime} formats it directly. */
    private static final long LAST_MILLIS_OF_9999 = 253_402_300_799_999L;

    /** {@link #isoTime} without java.time's formatter (the time of every event with an alert). */
    private static String isoTimeOfYears1970To9999(long millis) {
        long days = millis / 86_400_000L;
        int ofDay = (int) (millis % 86_400_000L);
        // civil date of a day count (days from 1970-01-01; H. Hinnant's algorithm, as java.time's LocalDate)
        long z = days + 719_468;
        long era = z / 146_097;
        int doe = (int) (z - era * 146_097);
        int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153;
        int day = doy - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        char[] c = new char[30];
        digits(c, 0, (int) year, 4);
        c[4] = '-';
        digits(c, 5, month, 2);
        c[7] = '-';
        digits(c, 8, day, 2);
        c[10] = 'T';
        digits(c, 11, ofDay / 3_600_000, 2);
        c[13] = ':';
        digits(c, 14, ofDay / 60_000 % 60, 2);
        c[16] = ':';
        digits(c, 17, ofDay / 1000 % 60, 2);
        c[19] = '.';
        digits(c, 20, ofDay % 1000, 3);
        for (int i = 23; i < 29; i++) {
            c[i] = '0';
        }
        c[29] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Names of the rules, sorted (for status records). */
    public List<String> ruleNames() {
        TreeSet<String> names = new TreeSet<>();
        for (Rule r : rules) {
            names.add(r.name());
        }
        return new ArrayList<>(names);
    }
}
