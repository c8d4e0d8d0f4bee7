package io.trailguard.rules.field;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.JsonPath;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trailguard extension: fields that read a JSON document <em>embedded as a string</em> in the record, as AWS
 * logs IAM, KMS, Lambda, SQS/SNS and Secrets Manager policies ({@code requestParameters.policyDocument} is the
 * text of a JSON object; in {@code responseElements} IAM logs it URL-encoded). Neither a JSON pointer nor
 * JSONPath can look inside such a string, and a regex over the text cannot tie a statement's {@code Effect} to
 * its {@code Resource}, nor compare a principal's account with the account of the event.
 *
 * <ul>
 *   <li>{@code json.embedded[<pointer>|<JSONPath>]}: the value at the RFC 6901 {@code pointer} is parsed as JSON
 *       (a string holding JSON, the same URL-encoded, or an object/array used as it is), then the JSONPath is
 *       evaluated on it. Multi-valued like {@code json.path}; in addition an array matched by the path
 *       contributes its elements (one level), because IAM allows {@code "Resource": "*"} and
 *       {@code "Resource": ["*"]} alike. Absent when the pointer is missing, the text is not JSON, or nothing
 *       matches. Example: {@code json.embedded[/requestParameters/policyDocument|$.Statement[?(@.Effect ==
 *       'Allow')].Resource] = "*"}.</li>
 *   <li>{@code policy.external_accounts[<pointer>]}: the AWS accounts a resource or trust policy at
 *       {@code pointer} grants access to, other than the event's own account ({@code recipientAccountId}, else
 *       {@code userIdentity.accountId}): the 12-digit account of every {@code Principal.AWS} entry (account id
 *       or IAM/STS ARN) of every {@code Allow} statement, plus {@code "*"} when such a statement admits everyone
 *       ({@code "Principal": "*"}, {@code {"AWS": "*"}} or {@code NotPrincipal}) without a condition key that
 *       pins the caller ({@code aws:PrincipalOrgID}, {@code aws:PrincipalAccount}, {@code aws:SourceAccount},
 *       {@code aws:SourceArn}, {@code aws:SourceOwner}, {@code aws:SourceVpc(e)}, {@code aws:PrincipalArn},
 *       {@code aws:userid}). When the value is a plain string that is not JSON (Lambda {@code AddPermission}'s
 *       {@code principal}), it is read as one principal. Service and federated principals are ignored. Absent
 *       when no such account remains; so {@code policy.external_accounts[...] exists} means "shared outside the
 *       account", and {@code not ... in (trusted_accounts)} that some grantee is not trusted.</li>
 * </ul>
 */
final class EmbeddedJsonFields {
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern ACCOUNT_ARN = Pattern.compile("arn:aws[a-z-]*:(?:iam|sts)::(\\d{12}):.*");
    private static final Set<String> PINNING_CONDITION_KEYS = Set.of("aws:principalorgid", "aws:principalaccount",
            "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce",
            "aws:principalarn", "aws:userid", "aws:principalorgpaths");

    private EmbeddedJsonFields() {}

    static Field embedded(String arg) {
        if (arg == null || arg.indexOf('|') < 0) {
            throw new UnknownFieldException("field 'json.embedded' requires an argument <JSON pointer>|<JSONPath>, "
                    + "e.g. json.embedded[/requestParameters/policyDocument|$.Statement[*].Resource]");
        }
        int bar = arg.indexOf('|');
        JsonPointer pointer = pointer("json.embedded", arg.substring(0, bar));
        String name = "json.embedded[" + arg + "]";
        JsonPath path = JsonPathField.compile(name, arg.substring(bar + 1).trim());
        return new CatalogueField(name, ValueType.LIST, event -> embeddedValues(event, pointer, path));
    }

    static Field externalAccounts(String arg) {
        if (arg == null || arg.isEmpty()) {
            throw new UnknownFieldException("field 'policy.external_accounts' requires a JSON pointer argument, "
                    + "e.g. policy.external_accounts[/requestParameters/policyDocument]");
        }
        JsonPointer pointer = pointer("policy.external_accounts", arg);
        return new CatalogueField("policy.external_accounts[" + arg + "]", ValueType.LIST,
                event -> ExternalAccounts.of(event, pointer));
    }

    private static JsonPointer pointer(String field, String arg) {
        String ptr = arg.trim();
        if (!ptr.isEmpty() && !ptr.startsWith("/")) {
            ptr = "/" + ptr;
        }
        try {
            return JsonPointer.compile(ptr);
        } catch (IllegalArgumentException e) {
            throw new UnknownFieldException("invalid JSON pointer '" + arg + "' in " + field + ": " + e.getMessage());
        }
    }

    /**
     * The document at the pointer: an object or array as it is; a string parsed as JSON (URL-decoded first when it
     * is not JSON but looks URL-encoded); null when missing or not JSON.
     */
    static JsonNode document(CloudTrailEvent event, JsonPointer pointer) {
        JsonNode node = event.record().at(pointer);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isContainerNode()) {
            return node;
        }
        if (!node.isTextual()) {
            return null;
        }
        return parse(node.textValue());
    }

    static JsonNode parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        if (t.charAt(0) != '{' && t.charAt(0) != '[') {
            if (!t.regionMatches(true, 0, "%7B", 0, 3) && !t.regionMatches(true, 0, "%5B", 0, 3)) {
                return null;
            }
            try {
                t = URLDecoder.decode(t, StandardCharsets.UTF_8).trim();
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        try {
            JsonNode n = Json.mapper().readTree(t);
            return n != null && n.isContainerNode() ? n : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The matches of {@code path} in the document at {@code pointer}; a matched array adds its elements. */
    private static List<String> embeddedValues(CloudTrailEvent event, JsonPointer pointer, JsonPath path) {
        JsonNode doc = document(event, pointer);
        JsonNode matches = doc == null ? null : JsonPathField.matches(path, doc);
        if (matches == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode m : matches) {
            if (m.isArray()) {
                for (JsonNode e : m) {
                    values.add(JsonPathField.text(e));
                }
            } else if (!m.isNull() || path.isDefinite()) {
                values.add(JsonPathField.text(m));
            }
        }
        return values.isEmpty() ? null : values;
    }

    /** The accounts outside the event's own that the policy at a pointer grants access to. */
    private static final class ExternalAccounts {
        private ExternalAccounts() {
        }

        static List<String> of(CloudTrailEvent event, JsonPointer pointer) {
            JsonNode node = event.record().at(pointer);
            if (node.isMissingNode() || node.isNull()) {
                return null;
            }
            Set<String> accounts = new LinkedHashSet<>();
            JsonNode doc = node.isContainerNode() ? node : node.isTextual() ? parse(node.textValue()) : null;
            if (doc != null) {
                for (JsonNode st : statements(doc)) {
                    statement(st, accounts);
                }
            } else if (node.isTextual()) {
                principal(node.textValue().trim(), accounts, true);
            } else {
                return null;
            }
            String own = ownAccount(event);
            if (own != null) {
                accounts.remove(own);
            }
            return accounts.isEmpty() ? null : new ArrayList<>(accounts);
        }

        private static List<JsonNode> statements(JsonNode doc) {
            List<JsonNode> out = new ArrayList<>();
            JsonNode st = doc.isObject() ? doc.get("Statement") : doc;
            if (st == null && doc.isObject() && (doc.has("Principal") || doc.has("NotPrincipal"))) {
                st = doc; // a single statement (Lambda AddPermission response)
            }
            if (st == null) {
                return out;
            }
            if (st.isArray()) {
                st.forEach(out::add);
            } else if (st.isObject()) {
                out.add(st);
            }
            return out;
        }

        private static void statement(JsonNode st, Set<String> accounts) {
            if (!st.isObject()) {
                return;
            }
            JsonNode effect = st.get("Effect");
            if (effect == null || !effect.isTextual() || !effect.textValue().equalsIgnoreCase("Allow")) {
                return;
            }
            boolean pinned = pinned(st.get("Condition"));
            if (st.has("NotPrincipal")) {
                if (!pinned) {
                    accounts.add("*");
                }
                return;
            }
            JsonNode p = st.get("Principal");
            if (p == null) {
                return;
            }
            if (p.isTextual()) {
                principal(p.textValue().trim(), accounts, !pinned);
            } else if (p.isObject()) {
                JsonNode aws = p.get("AWS");
                if (aws != null && aws.isTextual()) {
                    principal(aws.textValue().trim(), accounts, !pinned);
                } else if (aws != null && aws.isArray()) {
                    for (JsonNode a : aws) {
                        if (a.isTextual()) {
                            principal(a.textValue().trim(), accounts, !pinned);
                        }
                    }
                }
            }
        }

        private static boolean pinned(JsonNode condition) {
            if (condition == null || !condition.isObject()) {
                return false;
            }
            for (Iterator<JsonNode> ops = condition.elements(); ops.hasNext(); ) {
                JsonNode keys = ops.next();
                if (!keys.isObject()) {
                    continue;
                }
                for (Iterator<String> k = keys.fieldNames(); k.hasNext(); ) {
                    if (PINNING_CONDITION_KEYS.contains(k.next().toLowerCase(Locale.ROOT))) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static void principal(String p, Set<String> accounts, boolean publicCounts) {
            if (p.equals("*")) {
                if (publicCounts) {
                    accounts.add("*");
                }
                return;
            }
            if (ACCOUNT_ID.matcher(p).matches()) {
                accounts.add(p);
                return;
            }
            Matcher m = ACCOUNT_ARN.matcher(p);
            if (m.matches()) {
                accounts.add(m.group(1));
            }
        }

        private static String ownAccount(CloudTrailEvent event) {
            JsonNode r = event.record().get("recipientAccountId");
            if (r != null && r.isTextual() && !r.textValue().isEmpty()) {
                return r.textValue();
            }
            JsonNode ui = event.record().get("userIdentity");
            JsonNode a = ui == null ? null : ui.get("accountId");
            return a != null && a.isTextual() ? a.textValue() : null;
        }
    }
}
