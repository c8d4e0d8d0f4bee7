package io.trailguard.job.sink.ocsf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.EventSubject;
import io.trailguard.rules.engine.TargetResource;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The parts of a Detection Finding that say who did what to which resources, from the alert's {@link EventSubject}:
 * {@code api} (operation, service, error), {@code cloud} (AWS, account, Region), {@code resources} (the request's
 * targets, typed by {@link OcsfResourceTypes}) and the {@code evidences} entry of the CloudTrail event: its id,
 * {@code actor} (the principal as {@code user}, the access key as {@code session.credential_uid}),
 * {@code src_endpoint} (an IP address as {@code ip}, an AWS service name as {@code domain}) and the user agent as
 * {@code http_request.user_agent}.
 */
final class OcsfEvidence {
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    /** Dotted quads without leading zeros: {@code 010.1.1.1} is ambiguous (octal to some parsers), no ip_t. */
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    static final int AWS_ACCOUNT = 10;

    private OcsfEvidence() {
    }

    static Optional<ObjectNode> api(EventSubject s) {
        if (s.eventName() == null) {
            return Optional.empty();
        }
        ObjectNode api = JobJson.mapper().createObjectNode().put("operation", s.eventName());
        if (s.eventSource() != null) {
            api.putObject("service").put("name", s.eventSource());
        }
        if (s.errorCode() != null) {
            api.putObject("response").put("error", s.errorCode());
        }
        return Optional.of(api);
    }

    static ObjectNode cloud(String account, String region) {
        ObjectNode cloud = JobJson.mapper().createObjectNode().put("provider", "AWS");
        if (region != null) {
            cloud.put("region", region);
        }
        if (account != null) {
            cloud.set("account", account(account));
        }
        return cloud;
    }

    static ArrayNode resources(EventSubject s, String region) {
        ArrayNode out = JobJson.mapper().createArrayNode();
        for (TargetResource r : s.resources()) {
            ObjectNode n = out.addObject().put("type", OcsfResourceTypes.of(r.kind()));
            n.put(r.value().startsWith("arn:") ? "uid" : "name", r.value());
            n.put("provider", "AWS");
            if (region != null) {
                n.put("region", region);
            }
        }
        return out;
    }

    /** The evidence of the alert's CloudTrail event (a rate alert's: its last counted event), when it has any. */
    static Optional<ObjectNode> of(Alert a) {
        EventSubject s = a.subject();
        ObjectNode e = JobJson.mapper().createObjectNode();
        if (a.event().id() != null) {
            e.put("uid", a.event().id());
        }
        api(s).ifPresent(api -> e.set("api", api));
        actor(s).ifPresent(actor -> e.set("actor", actor));
        if (s.sourceIp() != null) {
            e.putObject("src_endpoint").put(endpointAttribute(s.sourceIp()), s.sourceIp());
        }
        if (s.userAgent() != null) {
            e.putObject("http_request").put("user_agent", s.userAgent());
        }
        if (!s.resources().isEmpty()) {
            e.set("resources", resources(s, a.event().region()));
        }
        return e.size() > (e.has("uid") ? 1 : 0) ? Optional.of(e) : Optional.empty();
    }

    private static Optional<ObjectNode> actor(EventSubject s) {
        ObjectNode actor = JobJson.mapper().createObjectNode();
        if (s.principalArn() != null || s.principalName() != null || s.principalAccount() != null) {
            ObjectNode user = actor.putObject("user");
            if (s.principalArn() != null) {
                user.put("uid", s.principalArn());
            }
            if (s.principalName() != null) {
                user.put("name", s.principalName());
            }
            if (s.principalType() != null) {
                UserType t = UserType.of(s.principalType());
                user.put("type_id", t.id).put("type", t == UserType.OTHER ? s.principalType() : t.caption);
            }
            if (s.principalAccount() != null) {
                user.set("account", account(s.principalAccount()));
            }
        }
        if (s.accessKeyId() != null) {
            actor.putObject("session").put("credential_uid", s.accessKeyId());
        }
        return actor.isEmpty() ? Optional.empty() : Optional.of(actor);
    }

    private static ObjectNode account(String uid) {
        return JobJson.mapper().createObjectNode().put("uid", uid).put("type_id", AWS_ACCOUNT).put("type", "AWS Account");
    }

    /**
     * Where CloudTrail's {@code sourceIPAddress} goes: an IP address is {@code ip}, an AWS service's host name
     * ({@code cloudtrail.amazonaws.com}) {@code domain}, anything else ({@code AWS Internal}, an address with
     * leading zeros as anonymised logs write them) {@code name}.
     */
    static String endpointAttribute(String source) {
        if (isIp(source)) {
            return "ip";
        }
        return HOST.matcher(source).matches() && source.chars().anyMatch(Character::isLetter) ? "domain" : "name";
    }

    static boolean isIp(String s) {
        return IPV4.matcher(s).matches() || (s.length() <= 40 && IPV6.matcher(s).matches());
    }

    /** OCSF {@code user.type_id} of a CloudTrail {@code userIdentity.type}. */
    private enum UserType {
        USER(1, "User"), ADMIN(2, "Admin"), SERVICE(4, "Service"), OTHER(99, "Other");

        final int id;
        final String caption;

        UserType(int id, String caption) {
            this.id = id;
            this.caption = caption;
        }

        static UserType of(String cloudTrailType) {
            switch (cloudTrailType.toLowerCase(Locale.ROOT)) {
                case "iamuser":
                    return USER;
                case "root":
                    return ADMIN;
                case "awsservice":
                    return SERVICE;
                default:
                    return OTHER; // AssumedRole, FederatedUser, AWSAccount, IdentityCenterUser, ...
            }
        }
    }
}
