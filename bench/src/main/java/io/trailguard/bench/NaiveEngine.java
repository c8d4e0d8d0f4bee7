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
import io.trailguard.rules.loader.RuleSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The obvious implementation a user would write with the design's own library, for the {@code naive}
 * benchmark: parse each event once with Jayway JsonPath, then evaluate every rule's condition on it, each check
 * reading its field with a (precompiled) JsonPath. No rule index, no per-event field cache. It reads the
 * Falco-dialect packs (lists and macros expanded; exceptions and Sigma rules are not evaluated, so it does at
 * most the work the engine does), and skips rules whose fields have no JsonPath equivalent (counted).
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

    private final List<Predicate<DocumentContext>> rules = new ArrayList<>();
    private int skipped;
    private final Map<String, Integer> skipReasons = new java.util.TreeMap<>();

    public NaiveEngine(List<RuleSource> sources) {
        Map<String, List<String>> lists = new HashMap<>();
        Map<String, String> macros = new HashMap<>();
        List<String> conditions = new ArrayList<>();
        Load yaml = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build());
        for (RuleSource s : sources) {
            for (Object doc : yaml.loadAllFromString(s.text())) {
                if (!(doc instanceof List)) {
                    continue; // not a Falco file (Sigma): the naive engine does not evaluate it
                }
                for (Object o : (List<?>) doc) {
                    Map<?, ?> item = (Map<?, ?>) o;
                    if (item.containsKey("list") && item.get("items") instanceof List) {
                        List<String> items = new ArrayList<>();
                        for (Object i : (List<?>) item.get("items")) {
                            items.add(String.valueOf(i));
                        }
                        if (Boolean.TRUE.equals(item.get("append")) || item.containsKey("override")) {
                            lists.computeIfAbsent(String.valueOf(item.get("list")), k -> new ArrayList<>()).addAll(items);
                        } else {
                            lists.put(String.valueOf(item.get("list")), items);
                        }
                    } else if (item.containsKey("macro") && item.get("condition") != null) {
                        macros.put(String.valueOf(item.get("macro")), String.valueOf(item.get("condition")));
                    } else if (item.containsKey("rule") && item.get("condition") != null
                            && !Boolean.FALSE.equals(item.get("enabled"))
                            && "aws_cloudtrail".equals(item.get("source")) && !item.containsKey("aggregate")) {
                        conditions.add(String.valueOf(item.get("condition")));
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
        for (String c : conditions) {
            try {
                rules.add(compile(ConditionParser.parse(c, resolver), macroLookup));
            } catch (RuntimeException e) {
                skipped++;
                skipReasons.merge(e.getMessage(), 1, Integer::sum);
            }
        }
    }

    public int ruleCount() {
        return rules.size();
    }

    public int skippedRules() {
        return skipped;
    }

    /** Why rules were skipped, with counts (for the benchmark report). */
    public Map<String, Integer> skipReasons() {
        return skipReasons;
    }

    /** Parses one event with JsonPath and evaluates every rule; the number of matching rules. */
    public int evaluate(byte[] json) {
        DocumentContext doc = JsonPath.using(JSON_PATH).parse(new String(json, StandardCharsets.UTF_8));
        int matches = 0;
        for (Predicate<DocumentContext> r : rules) {
            if (r.test(doc)) {
                matches++;
            }
        }
        return matches;
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
