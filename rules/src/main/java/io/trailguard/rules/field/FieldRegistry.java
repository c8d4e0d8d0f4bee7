package io.trailguard.rules.field;

import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a field name and argument, as written in a rule, to a {@link Field}: Falco's CloudTrail plugin
 * fields ({@code ct.*, s3.*, ec2.*, ecr.*, iam.*}), the json plugin ({@code json.*}, {@code jevt.*}), the generic
 * {@code evt.*} fields, Sysdig's {@code aws.*} aliases, and Trailguard's {@code json.path[...]},
 * {@code json.embedded[...]} and {@code policy.external_accounts[...]} (JSON documents embedded as strings, see
 * {@link EmbeddedJsonFields}).
 */
public final class FieldRegistry {
    private FieldRegistry() {}

    /** @throws UnknownFieldException when no field has that name or the argument does not fit it */
    public static Field resolve(String name, String arg) {
        switch (name) {
            case "json.value":
            case "jevt.value":
                return new JsonPointerField(name, arg);
            case "json.obj":
            case "jevt.obj":
                noArg(name, arg);
                return new JsonDocumentField(name);
            case "json.rawtime":
            case "jevt.rawtime":
                noArg(name, arg);
                return new RawTimeField(name);
            case "json.path":
                return new JsonPathField(arg);
            case "json.embedded":
                return EmbeddedJsonFields.embedded(arg);
            case "policy.external_accounts":
                return EmbeddedJsonFields.externalAccounts(arg);
            default:
                break;
        }
        Field f = CloudTrailFields.resolve(name, arg);
        if (f == null) {
            f = EventFields.resolve(name, arg);
        }
        if (f == null) {
            f = AggregateField.resolve(name, arg);
        }
        if (f == null) {
            throw new UnknownFieldException("unknown field '" + name + "'");
        }
        return f;
    }

    /** Every field name this registry knows (for documentation and suggestions). */
    public static Set<String> names() {
        Set<String> all = new TreeSet<>(CloudTrailFields.names());
        all.addAll(EventFields.names());
        all.addAll(AggregateField.names());
        all.addAll(Set.of("json.value", "jevt.value", "json.obj", "jevt.obj", "json.rawtime", "jevt.rawtime",
                "json.path", "json.embedded", "policy.external_accounts"));
        return all;
    }

    private static void noArg(String name, String arg) {
        if (arg != null) {
            throw new UnknownFieldException("field '" + name + "' takes no argument");
        }
    }
}
