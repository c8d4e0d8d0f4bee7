package io.trailguard.rules.engine;

import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.Firing;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.text.CaseFold;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
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
    private final Rule[] unconstrained;
    private final Map<String, Rule[]> byEventName;
    /**
     * The candidates of eventNames as events spell them, so the common case skips case folding; bounded in entries
     * and name length, since eventName is caller-controlled text (AWS has a few thousand API names).
     */
    private final Map<String, Rule[]> seenNames = new ConcurrentHashMap<>();
    private static final int SEEN_NAMES_LIMIT = 8192;
    /** Longer names are not cached (AWS API names are far shorter), so the cache stays under a few MiB. */
    private static final int SEEN_NAME_MAX_LENGTH = 128;
    private final Rule[] all;
    private final String hostname;
    private final Map<String, Rule> byName = new HashMap<>();
    private final Map<String, RuleIdentity> identities = new HashMap<>();
    private final String bundleVersion;
    private final RuleChains chains;
    private final RateAlerts rateAlerts;

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
        this.unconstrained = free.toArray(NONE);
        this.byEventName = new HashMap<>();
        for (Map.Entry<String, List<Rule>> e : named.entrySet()) {
            List<Rule> merged = new ArrayList<>(e.getValue());
            merged.addAll(free);
            merged.sort(Comparator.comparingInt(Rule::position));
            byEventName.put(e.getKey(), merged.toArray(NONE));
        }
        this.chains = new RuleChains(sorted, byName);
        this.rateAlerts = new RateAlerts(hostname, this::identity);
    }

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
        return new EvaluationContext(fieldSlots);
    }

    /** The rules an event must be evaluated against, in load order. */
    public Rule[] candidates(CloudTrailEvent event) {
        JsonNode name = event.record().get("eventName");
        if (name == null || name.isNull()) {
            return unconstrained;
        }
        if (!name.isTextual()) {
            return all; // odd shape: let every rule decide
        }
        String raw = name.textValue();
        Rule[] r = seenNames.get(raw);
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
        for (Rule r : candidates(event)) {
            if (r.isRateRule()) {
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
            if (r.matches(ctx)) {
                matched = true;
                if (alerts == null) {
                    alerts = new ArrayList<>(2);
                }
                alerts.add(alert(r, ctx));
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
        CloudTrailEvent e = ctx.event();
        long millis = e.hasTime() ? e.timeMillis() : System.currentTimeMillis();
        return Alert.builder()
                .rule(identity(r))
                .event(EventReference.at(e.eventId(), millis, e.account(), e.region()))
                .subject(SubjectExtractor.of(e))
                .output(r.output().format(ctx))
                .outputFields(r.output().fieldValues(ctx))
                .hostname(hostname)
                .build();
    }

    /** The identity alerts of {@code r} carry (with this set's bundle version). */
    public RuleIdentity identity(Rule r) {
        RuleIdentity id = identities.get(r.name());
        return id != null && byName.get(r.name()) == r ? id : RuleIdentity.of(r, bundleVersion);
    }

    /** The version of the rule bundle, or null. */
    public String bundleVersion() {
        return bundleVersion;
    }

    /** ISO 8601 UTC with 9 fractional digits, as Falco prints alert times. */
    public static String isoTime(long millis) {
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

    /** Names of the rules, sorted (for status records). */
    public List<String> ruleNames() {
        TreeSet<String> names = new TreeSet<>();
        for (Rule r : rules) {
            names.add(r.name());
        }
        return new ArrayList<>(names);
    }
}
