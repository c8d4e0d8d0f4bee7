package io.trailguard.bench;

import com.google.re2j.Pattern;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import io.trailguard.rules.condition.ConditionParser;
import io.trailguard.rules.condition.ListResolver;
import io.trailguard.rules.condition.ast.AndExpr;
import io.trailguard.rules.condition.ast.CheckExpr;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.FieldExpr;
import io.trailguard.rules.condition.ast.MacroRef;
import io.trailguard.rules.condition.ast.NotExpr;
import io.trailguard.rules.condition.ast.OrExpr;
import io.trailguard.rules.source.RuleSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The obvious implementation a user would write with the design's own library, for the {@code naive}
 * benchmark: parse each event once with Jayway JsonPath, then evaluate every rule on it, each check reading its
 * field with a precompiled JsonPath. No rule index (every rule is evaluated on every event), no per-event field
 * cache. It reads the same rule sources as the engine ({@link RuleSets#fullSources()}) and evaluates:
 * <ul>
 *   <li><b>Falco-dialect rules</b>: every enabled single-event {@code aws_cloudtrail} rule, lists and macros
 *       expanded, exceptions applied as the engine builds them. Of the 104 bundled rules, 74 are evaluated;
 *       skipped: the 20 rate rules ({@code aggregate:}: they count events in event-time windows and raise no
 *       per-event alert; the {@code engine} benchmark evaluates their conditions for its signals), and 10 rules
 *       reading Trailguard's derived fields, which have no JsonPath equivalent ({@code json.embedded}: 4,
 *       {@code policy.external_accounts}: 6). A rule changed by a later {@code append}/{@code override} item is
 *       skipped too (none in the packs).</li>
 *   <li><b>Sigma rules</b>: every detection rule, through {@link NaiveSigma} (dotted field paths read with JsonPath,
 *       any-member semantics across arrays, modifiers, conditions, and Trailguard's errata, as the engine applies
 *       them): all 57 SigmaHQ CloudTrail rules when {@code ../shared} is present. Correlation rules are skipped
 *       (none among the 57).</li>
 * </ul>
 * Skipped rules are listed with their reason ({@link #skippedRuleNames()}, {@link #skipReasons()}).
 * {@code NaiveEngineFidelityTest} checks that, for every rule it evaluates, it matches exactly the events on which
 * the engine alerts. One documented difference: Falco {@code ct.*} string fields holding JSON null are absent here
 * but present and empty in the engine (the upstream plugin's fastjson semantics); CloudTrail does not write such
 * nulls.
 *
 * <p>One class although it is long: it is the independent reference of the comparison and shares no evaluation
 * code with the engine (only rule sources are read the same way); its parts follow the Falco dialect in order
 * (lists and macros, conditions, operators, exceptions, output), with Sigma in {@link NaiveSigma}.
 */
public final class NaiveEngine {
    private static final Configuration JSON_PATH = Configuration.defaultConfiguration()
            .addOptions(Option.SUPPRESS_EXCEPTIONS);
    private static final Map<String, String> PATHS = new HashMap<>();

    static {
        String[][] direct = {
            {"ct.id", "eventID"}, {"ct.error", "errorCode"}, {"ct.errormessage", "errorMessage"},
            {"ct.src", "eventSource"}, {"ct.name", "eventName"}, {"ct.region", "awsRegion"},
            {"ct.srcip", "sourceIPAddress"}, {"ct.useragent", "userAgent"}, {"ct.user.identitytype", "userIdentity.type"},
            {"ct.user.principalid", "userIdentity.principalId"}, {"ct.user.arn", "userIdentity.arn"},
            {"ct.requestid", "requestID"}, {"ct.eventtype", "eventType"}, {"ct.apiversion", "apiVersion"},
            {"ct.recipientaccountid", "recipientAccountId"}, {"ct.vpcendpointid", "vpcEndpointId"},
            {"ct.eventcategory", "eventCategory"}, {"ct.readonly", "readOnly"}, {"ct.managementevent", "managementEvent"},
            {"ct.request.availabilityzone", "requestParameters.availabilityZone"},
            {"ct.request.cluster", "requestParameters.cluster"}, {"ct.request.functionname", "requestParameters.functionName"},
            {"ct.request.groupname", "requestParameters.groupName"}, {"ct.request.host", "requestParameters.Host"},
            {"ct.request.name", "requestParameters.name"}, {"ct.request.policy", "requestParameters.policy"},
            {"ct.request.reason", "requestParameters.reason"}, {"ct.request.target", "requestParameters.target"},
            {"ct.request.serialnumber", "requestParameters.serialNumber"},
            {"ct.request.servicename", "requestParameters.serviceName"}, {"ct.request.subnetid", "requestParameters.subnetId"},
            {"ct.request.taskdefinition", "requestParameters.taskDefinition"},
            {"ct.request.username", "requestParameters.userName"}, {"ct.response.subnetid", "responseElements.subnetId"},
            {"ct.response.reservationid", "responseElements.reservationId"}, {"s3.bucket", "requestParameters.bucketName"},
            {"s3.key", "requestParameters.key"}, {"iam.role", "requestParameters.roleName"},
            {"iam.policy", "requestParameters.policyName"}, {"ecr.repository", "requestParameters.repositoryName"},
            {"ecr.imagetag", "requestParameters.imageTag"}, {"aws.eventName", "eventName"}, {"aws.errorCode", "errorCode"},
            {"aws.sourceIP", "sourceIPAddress"}, {"aws.region", "awsRegion"},
        };
        for (String[] d : direct) {
            PATHS.put(d[0], "$." + d[1]);
        }
    }

    /** One rule the naive engine evaluates. */
    private static final class NamedRule {
        final String name;
        final Predicate<DocumentContext> test;

        NamedRule(String name, Predicate<DocumentContext> test) {
            this.name = name;
            this.test = test;
        }
    }

    private final List<NamedRule> rules = new ArrayList<>();
    private final int falcoRules;
    private final int sigmaRules;
    private final Map<String, String> skipped = new LinkedHashMap<>(); // rule name -> reason

    public NaiveEngine(List<RuleSource> sources) {
        Map<String, List<String>> lists = new HashMap<>();
        Map<String, String> macros = new HashMap<>();
        Map<String, Map<?, ?>> falco = new LinkedHashMap<>(); // rule name -> its definition (a later one replaces)
        Map<String, String> modified = new HashMap<>(); // rule name -> why it is not evaluated
        List<Map<?, ?>> sigma = new ArrayList<>();
        Load yaml = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build());
        for (RuleSource s : sources) {
            for (Object doc : yaml.loadAllFromString(s.text())) {
                if (doc instanceof Map) {
                    sigma.add((Map<?, ?>) doc); // a Sigma document: NaiveSigma evaluates it
                    continue;
                }
                if (!(doc instanceof List)) {
                    continue;
                }
                for (Object o : (List<?>) doc) {
                    Map<?, ?> item = (Map<?, ?>) o;
                    boolean append = Boolean.TRUE.equals(item.get("append"));
                    Map<?, ?> override = item.get("override") instanceof Map ? (Map<?, ?>) item.get("override") : null;
                    if (item.containsKey("list") && item.get("items") instanceof List) {
                        List<String> items = new ArrayList<>();
                        for (Object i : (List<?>) item.get("items")) {
                            items.add(String.valueOf(i));
                        }
                        boolean extend = append || (override != null && "append".equals(override.get("items")));
                        if (extend) {
                            lists.computeIfAbsent(String.valueOf(item.get("list")), k -> new ArrayList<>()).addAll(items);
                        } else {
                            lists.put(String.valueOf(item.get("list")), items);
                        }
                    } else if (item.containsKey("macro") && item.get("condition") != null) {
                        String name = String.valueOf(item.get("macro"));
                        String c = String.valueOf(item.get("condition"));
                        boolean extend = append || (override != null && "append".equals(override.get("condition")));
                        macros.put(name, extend && macros.containsKey(name) ? macros.get(name) + " " + c : c);
                    } else if (item.containsKey("rule")) {
                        String name = String.valueOf(item.get("rule"));
                        if (append || override != null) {
                            modified.put(name, "Falco: rule changed by an append/override item (not in the naive engine)");
                        } else {
                            falco.put(name, item);
                            modified.remove(name);
                        }
                    }
                }
            }
        }
        ListResolver resolver = lists::get;
        Function<String, Expr> macroLookup = new Function<String, Expr>() {
            @Override
            public Expr apply(String name) {
                String c = macros.get(name);
                return c == null ? null : ConditionParser.parse(c, resolver);
            }
        };
        int falcoCount = 0;
        for (Map<?, ?> item : falco.values()) {
            String name = String.valueOf(item.get("rule"));
            if (item.get("condition") == null || Boolean.FALSE.equals(item.get("enabled"))
                    || !"aws_cloudtrail".equals(item.get("source"))) {
                continue; // not a rule the engine evaluates either
            }
            if (item.containsKey("aggregate")) {
                skip(name, "Falco: rate rule (aggregate: event-time windows, not per-event matching)");
                continue;
            }
            if (modified.containsKey(name)) {
                skip(name, modified.get(name));
                continue;
            }
            try {
                Predicate<DocumentContext> p = compile(ConditionParser.parse(String.valueOf(item.get("condition")),
                        resolver), macroLookup);
                if (item.get("exceptions") instanceof List && !((List<?>) item.get("exceptions")).isEmpty()) {
                    Predicate<DocumentContext> except = exceptions((List<?>) item.get("exceptions"), lists);
                    Predicate<DocumentContext> cond = p;
                    p = d -> cond.test(d) && !except.test(d);
                }
                rules.add(new NamedRule(name, p));
                falcoCount++;
            } catch (RuntimeException e) {
                skip(name, "Falco: " + e.getMessage());
            }
        }
        this.falcoRules = falcoCount;
        NaiveSigma s = new NaiveSigma(sigma, falco.keySet(), JSON_PATH);
        for (NaiveSigma.SigmaRule r : s.rules()) {
            rules.add(new NamedRule(r.name, r.test));
        }
        this.sigmaRules = s.rules().size();
        for (Map.Entry<String, String> e : s.skippedRules().entrySet()) {
            skip(e.getKey(), "Sigma: " + e.getValue());
        }
    }

    private void skip(String name, String reason) {
        skipped.put(name, reason);
    }

    /** Rules evaluated on every event (Falco and Sigma). */
    public int ruleCount() {
        return rules.size();
    }

    /** Falco-dialect rules evaluated. */
    public int falcoRuleCount() {
        return falcoRules;
    }

    /** Sigma rules evaluated. */
    public int sigmaRuleCount() {
        return sigmaRules;
    }

    /** The names of the rules evaluated (as the engine names them: Falco rule names, Sigma titles), in order. */
    public List<String> ruleNames() {
        List<String> out = new ArrayList<>();
        for (NamedRule r : rules) {
            out.add(r.name);
        }
        return out;
    }

    /** The number of rules not evaluated. */
    public int skippedRules() {
        return skipped.size();
    }

    /** The rules not evaluated, by name, with the reason. */
    public Map<String, String> skippedRuleNames() {
        return Collections.unmodifiableMap(skipped);
    }

    /** Why rules were skipped, with counts (for the benchmark report). */
    public Map<String, Integer> skipReasons() {
        Map<String, Integer> out = new TreeMap<>();
        for (String reason : skipped.values()) {
            out.merge(reason, 1, Integer::sum);
        }
        return out;
    }

    /** Parses one event with JsonPath and evaluates every rule; the number of matching rules. */
    public int evaluate(byte[] json) {
        return evaluate(json, null);
    }

    /** Parses one event with JsonPath and evaluates every rule; the names of the matching rules, in rule order. */
    public List<String> matches(byte[] json) {
        List<String> out = new ArrayList<>();
        evaluate(json, out);
        return out;
    }

    private int evaluate(byte[] json, List<String> names) {
        DocumentContext doc = JsonPath.using(JSON_PATH).parse(new String(json, StandardCharsets.UTF_8));
        int matches = 0;
        for (NamedRule r : rules) {
            if (r.test.test(doc)) {
                matches++;
                if (names != null) {
                    names.add(r.name);
                }
            }
        }
        return matches;
    }

    /**
     * A Falco rule's exceptions, as the engine builds them: true when some exception matches (the rule then does not
     * fire). Tuple form: each value is a tuple of (comparison of field i with value i); single-field form
     * ({@code fields: f}): the field compared with every value (list names expanded) by {@code comps} (default in).
     */
    private static Predicate<DocumentContext> exceptions(List<?> defs, Map<String, List<String>> lists) {
        List<Predicate<DocumentContext>> alternatives = new ArrayList<>();
        for (Object o : defs) {
            Map<?, ?> x = (Map<?, ?>) o;
            boolean single = !(x.get("fields") instanceof List);
            List<String> fields = strings(x.get("fields"));
            List<String> comps = x.get("comps") == null ? null : strings(x.get("comps"));
            List<?> values = x.get("values") instanceof List ? (List<?>) x.get("values") : List.of();
            List<FieldExpr> fieldExprs = new ArrayList<>();
            for (String f : fields) {
                int[] end = new int[1];
                FieldExpr fe = ConditionParser.fieldAt(f.trim(), 0, end);
                if (fe == null || end[0] != f.trim().length()) {
                    throw new IllegalArgumentException("exception field " + f);
                }
                fieldExprs.add(fe);
            }
            if (values.isEmpty()) {
                continue;
            }
            if (single) {
                List<String> items = new ArrayList<>();
                for (Object v : values) {
                    items.addAll(expand(String.valueOf(v), lists));
                }
                alternatives.add(check(new CheckExpr(fieldExprs.get(0), comps == null ? "in" : comps.get(0), null,
                        null, items, null, 0)));
                continue;
            }
            for (Object t : values) {
                List<?> tuple = (List<?>) t;
                List<Predicate<DocumentContext>> checks = new ArrayList<>();
                for (int i = 0; i < tuple.size(); i++) {
                    String comp = comps == null ? "=" : comps.get(i);
                    boolean listOp = comp.equals("in") || comp.equals("intersects") || comp.equals("pmatch");
                    Object v = tuple.get(i);
                    if (listOp) {
                        List<String> items = new ArrayList<>();
                        for (String s : v instanceof List ? strings(v) : List.of(String.valueOf(v))) {
                            items.addAll(expand(s, lists));
                        }
                        checks.add(check(new CheckExpr(fieldExprs.get(i), comp, null, null, items, null, 0)));
                    } else {
                        checks.add(check(new CheckExpr(fieldExprs.get(i), comp, null, String.valueOf(v), null, null, 0)));
                    }
                }
                alternatives.add(d -> checks.stream().allMatch(p -> p.test(d)));
            }
        }
        return d -> alternatives.stream().anyMatch(p -> p.test(d));
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List) {
            for (Object x : (List<?>) o) {
                out.add(String.valueOf(x));
            }
        } else if (o != null) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    private static List<String> expand(String item, Map<String, List<String>> lists) {
        List<String> l = lists.get(item);
        return l != null ? l : List.of(item);
    }

    private static Predicate<DocumentContext> compile(Expr e, Function<String, Expr> macros) {
        if (e instanceof AndExpr) {
            List<Predicate<DocumentContext>> cs = new ArrayList<>();
            for (Expr c : ((AndExpr) e).children()) {
                cs.add(compile(c, macros));
            }
            return d -> cs.stream().allMatch(p -> p.test(d));
        }
        if (e instanceof OrExpr) {
            List<Predicate<DocumentContext>> cs = new ArrayList<>();
            for (Expr c : ((OrExpr) e).children()) {
                cs.add(compile(c, macros));
            }
            return d -> cs.stream().anyMatch(p -> p.test(d));
        }
        if (e instanceof NotExpr) {
            return compile(((NotExpr) e).child(), macros).negate();
        }
        if (e instanceof MacroRef) {
            Expr body = macros.apply(((MacroRef) e).name());
            if (body == null) {
                throw new IllegalArgumentException("undefined macro");
            }
            return compile(body, macros);
        }
        return check((CheckExpr) e);
    }

    private static Predicate<DocumentContext> check(CheckExpr c) {
        Function<DocumentContext, String> field = field(c.field());
        String op = c.operator();
        if (op.equals("exists")) {
            return d -> field.apply(d) != null;
        }
        if (c.valueField() != null) {
            Function<DocumentContext, String> other = field(c.valueField());
            return d -> {
                String x = field.apply(d);
                String y = other.apply(d);
                return x != null && y != null && test(op, x, y, null);
            };
        }
        if (c.modifier() != null) {
            List<String> items = c.values();
            List<Pattern> patterns = patterns(op, items);
            String m = c.modifier();
            return d -> {
                String x = field.apply(d);
                if (x == null) {
                    return false;
                }
                int n = 0;
                for (int i = 0; i < items.size(); i++) {
                    if (test(op, x, items.get(i), patterns == null ? null : patterns.get(i))) {
                        n++;
                    }
                }
                return m.equals("anyof") ? n > 0 : m.equals("allof") ? n == items.size() : n == 1;
            };
        }
        if (op.equals("in") || op.equals("intersects") || op.equals("pmatch")) {
            List<String> vs = c.values();
            return d -> {
                String x = field.apply(d);
                if (x == null) {
                    return false;
                }
                for (String v : vs) {
                    if (op.equals("pmatch") ? x.equals(v) || x.startsWith(v.endsWith("/") ? v : v + "/") : x.equals(v)) {
                        return true;
                    }
                }
                return false;
            };
        }
        String v = c.value();
        Pattern p = patterns(op, List.of(v)) == null ? null : patterns(op, List.of(v)).get(0);
        return d -> {
            String x = field.apply(d);
            return x != null && test(op, x, v, p);
        };
    }

    /** Compiled patterns for glob/iglob/regex (once, at load), or null for other operators. */
    private static List<Pattern> patterns(String op, List<String> items) {
        if (!op.equals("glob") && !op.equals("iglob") && !op.equals("regex")) {
            return null;
        }
        List<Pattern> out = new ArrayList<>();
        for (String i : items) {
            out.add(op.equals("regex") ? Pattern.compile(i)
                    : Pattern.compile(globToRegex(i), Pattern.DOTALL | (op.equals("iglob") ? Pattern.CASE_INSENSITIVE : 0)));
        }
        return out;
    }

    private static boolean test(String op, String x, String v, Pattern p) {
        switch (op) {
            case "=":
            case "==":
                return x.equals(v);
            case "!=":
                return !x.equals(v);
            case "contains":
                return x.contains(v);
            case "icontains":
                return x.toLowerCase(Locale.ROOT).contains(v.toLowerCase(Locale.ROOT));
            case "startswith":
                return x.startsWith(v);
            case "endswith":
                return x.endsWith(v);
            case "glob":
            case "iglob":
            case "regex":
                return p.matches(x);
            case "<":
            case "<=":
            case ">":
            case ">=": {
                int cmp;
                try {
                    cmp = Double.compare(Double.parseDouble(x), Double.parseDouble(v));
                } catch (NumberFormatException e) {
                    cmp = x.compareTo(v);
                }
                return op.equals("<") ? cmp < 0 : op.equals("<=") ? cmp <= 0 : op.equals(">") ? cmp > 0 : cmp >= 0;
            }
            default:
                throw new IllegalArgumentException("operator " + op + " not in the naive engine");
        }
    }

    private static Function<DocumentContext, String> field(FieldExpr f) {
        if (f.isTransformed()) {
            Function<DocumentContext, String> inner = field(f.inner());
            switch (f.transformer()) {
                case "tolower":
                    return d -> {
                        String x = inner.apply(d);
                        return x == null ? null : x.toLowerCase(Locale.ROOT);
                    };
                case "toupper":
                    return d -> {
                        String x = inner.apply(d);
                        return x == null ? null : x.toUpperCase(Locale.ROOT);
                    };
                default:
                    throw new IllegalArgumentException("transformer not in the naive engine");
            }
        }
        String name = f.name();
        if ((name.equals("json.value") || name.equals("jevt.value")) && f.arg() != null) {
            return read(pointerToPath(f.arg()));
        }
        if (name.equals("json.path") && f.arg() != null) {
            return read(f.arg());
        }
        if (name.equals("evt.num")) {
            return d -> "1"; // the naive engine does not number events; every event is the first
        }
        if (name.equals("ct.request") || name.equals("ct.response") || name.equals("ct.additionaleventdata")) {
            Function<DocumentContext, String> r = read(name.equals("ct.request") ? "$.requestParameters"
                    : name.equals("ct.response") ? "$.responseElements" : "$.additionalEventData");
            return r;
        }
        if (name.equals("ct.user") || name.equals("aws.user")) {
            Function<DocumentContext, String> type = read("$.userIdentity.type");
            Function<DocumentContext, String> userName = read("$.userIdentity.userName");
            Function<DocumentContext, String> invokedBy = read("$.userIdentity.invokedBy");
            Function<DocumentContext, String> issuer = read("$.userIdentity.sessionContext.sessionIssuer.userName");
            return d -> {
                String t = type.apply(d);
                if (t == null) {
                    return null;
                }
                switch (t) {
                    case "Root":
                    case "IAMUser":
                        return userName.apply(d);
                    case "AWSService":
                        return invokedBy.apply(d);
                    case "AssumedRole": {
                        String i = issuer.apply(d);
                        return i != null ? i : "AssumedRole";
                    }
                    case "AWSAccount":
                    case "FederatedUser":
                        return t;
                    default:
                        return null;
                }
            };
        }
        if (name.equals("ct.user.accountid")) {
            Function<DocumentContext, String> a = read("$.userIdentity.accountId");
            Function<DocumentContext, String> b = read("$.recipientAccountId");
            return d -> {
                String x = a.apply(d);
                return x != null ? x : b.apply(d);
            };
        }
        String path = PATHS.get(name);
        if (path == null) {
            throw new IllegalArgumentException("no JsonPath for " + name);
        }
        return read(path);
    }

    private static Function<DocumentContext, String> read(String path) {
        JsonPath p = JsonPath.compile(path);
        return d -> {
            Object o = d.read(p);
            if (o == null) {
                return null;
            }
            if (o instanceof String) {
                return (String) o;
            }
            if (o instanceof List && !p.isDefinite()) {
                List<?> l = (List<?>) o;
                return l.isEmpty() ? null : String.valueOf(l.get(0));
            }
            return o instanceof Map || o instanceof List ? JSON_PATH.jsonProvider().toJson(o) : o.toString();
        };
    }

    private static String pointerToPath(String ptr) {
        StringBuilder sb = new StringBuilder("$");
        for (String token : (ptr.startsWith("/") ? ptr.substring(1) : ptr).split("/", -1)) {
            String t = token.replace("~1", "/").replace("~0", "~");
            if (t.matches("\\d+")) {
                sb.append('[').append(t).append(']');
            } else {
                sb.append("['").append(t.replace("'", "\\'")).append("']");
            }
        }
        return sb.toString();
    }

    private static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            if (ch == '*') {
                re.append(".*");
            } else if (ch == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return re.toString();
    }
}
