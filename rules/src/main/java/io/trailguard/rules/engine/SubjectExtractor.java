package io.trailguard.rules.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.CloudTrailEvent;

import java.util.List;

/**
 * Extracts an alert's {@link EventSubject} from its CloudTrail record, once per alert: the principal from
 * {@code userIdentity}, the call's origin, service, name and error, and the target resources from the record's
 * {@code resources} list and from {@link TargetKeys}' table of {@code requestParameters} keys.
 */
public final class SubjectExtractor {
    private SubjectExtractor() {
    }

    public static EventSubject of(CloudTrailEvent event) {
        ObjectNode r = event.record();
        JsonNode ui = r.path("userIdentity");
        String type = text(ui, "type");
        String arn = text(ui, "arn");
        EventSubject.Builder b = EventSubject.builder()
                .principalArn(arn)
                .principalType(type)
                .principalName(principalName(ui, type, arn))
                .principalAccount(text(ui, "accountId"))
                .accessKeyId(text(ui, "accessKeyId"))
                .sourceIp(text(r, "sourceIPAddress"))
                .userAgent(text(r, "userAgent"))
                .eventSource(text(r, "eventSource"))
                .eventName(text(r, "eventName"))
                .errorCode(text(r, "errorCode"));
        String source = text(r, "eventSource");
        JsonNode params = r.path("requestParameters");
        if (params.isObject()) {
            for (TargetKeys.Key k : TargetKeys.forSource(source)) {
                collect(params, k.path(), 0, k, b);
            }
        }
        for (JsonNode res : r.path("resources")) {
            String resArn = text(res, "ARN");
            if (resArn != null) {
                b.resource(TargetKeys.kindOfArn(resArn), resArn, "resources");
            }
        }
        return b.build();
    }

    private static void collect(JsonNode node, List<String> path, int i, TargetKeys.Key k, EventSubject.Builder b) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (i == path.size()) {
            if (node.isArray()) {
                for (JsonNode x : node) {
                    if (x.isValueNode()) {
                        b.resource(k.kind(), x.asText(), k.from());
                    }
                }
            } else if (node.isValueNode()) {
                b.resource(k.kind(), node.asText(), k.from());
            }
            return;
        }
        String step = path.get(i);
        if (step.equals("*")) {
            for (JsonNode x : node) {
                collect(x, path, i + 1, k, b);
            }
        } else {
            collect(node.get(step), path, i + 1, k, b);
        }
    }

    private static String principalName(JsonNode ui, String type, String arn) {
        String userName = text(ui, "userName");
        if (userName != null) {
            return userName;
        }
        if ("AssumedRole".equals(type) && arn != null) {
            int slash = arn.lastIndexOf('/');
            return slash < 0 ? null : arn.substring(slash + 1);
        }
        String issuer = text(ui.path("sessionContext").path("sessionIssuer"), "userName");
        if (issuer != null) {
            return issuer;
        }
        return text(ui, "invokedBy");
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isValueNode() || v.isNull()) {
            return null;
        }
        String s = v.asText();
        return s.isBlank() ? null : s;
    }
}
