package io.trailguard.rules.engine;

import java.util.Map;

/**
 * The subject of a rate alert. A window counts many events and keeps only their group and the output values the
 * rule prints, so the subject holds what those name, by field: principal ARN ({@code ct.user.arn},
 * {@code userIdentity.arn}), name ({@code ct.user}, {@code userIdentity.userName}), type
 * ({@code ct.user.identitytype}, {@code userIdentity.type}), account ({@code ct.user.accountid}), access key
 * ({@code userIdentity.accessKeyId}), source IP ({@code ct.srcip}, {@code sourceIPAddress}), user agent
 * ({@code ct.useragent}, {@code userAgent}) and API ({@code ct.src}/{@code eventSource}, {@code ct.name}/{@code
 * eventName}). Group values come first.
 */
final class RateSubjects {
    private RateSubjects() {
    }

    static EventSubject of(Map<String, String> group, Map<String, Object> fields) {
        return EventSubject.builder()
                .principalArn(first(group, fields, "ct.user.arn", "userIdentity.arn"))
                .principalName(first(group, fields, "ct.user", "userIdentity.userName"))
                .principalType(first(group, fields, "ct.user.identitytype", "userIdentity.type"))
                .principalAccount(first(group, fields, "ct.user.accountid", "userIdentity.accountId"))
                .accessKeyId(first(group, fields, "userIdentity.accessKeyId"))
                .sourceIp(first(group, fields, "ct.srcip", "sourceIPAddress"))
                .userAgent(first(group, fields, "ct.useragent", "userAgent"))
                .eventSource(first(group, fields, "ct.src", "eventSource"))
                .eventName(first(group, fields, "ct.name", "eventName"))
                .build();
    }

    private static String first(Map<String, String> group, Map<String, Object> fields, String... names) {
        for (String n : names) {
            String v = group.get(n);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        for (String n : names) {
            Object v = fields.get(n);
            if (v instanceof String && !((String) v).isEmpty()) {
                return (String) v;
            }
        }
        return null;
    }
}
