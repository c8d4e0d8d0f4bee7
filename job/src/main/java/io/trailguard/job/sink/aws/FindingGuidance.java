package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleGuidance;
import io.trailguard.rules.engine.RuleIdentity;
import software.amazon.awssdk.services.securityhub.model.Recommendation;
import software.amazon.awssdk.services.securityhub.model.Remediation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an analyst acts on: {@code Remediation.Recommendation} (text and URL) from the rule's guidance (remediation
 * text, remediation URL, else its runbook or first reference), and {@code SourceUrl}, the CloudTrail console's
 * page of the event (a rate alert: its last counted event).
 */
public final class FindingGuidance {
    static final int MAX_RECOMMENDATION_TEXT = 512;
    static final int MAX_URL = 1024;
    private static final Pattern EVENT_ID = Pattern.compile("[0-9a-fA-F-]{8,64}");

    private FindingGuidance() {
    }

    static Optional<Remediation> remediation(RuleIdentity rule) {
        String url = remediationUrl(rule).orElse(null);
        String text = rule.guidance().remediation();
        if (text == null && url == null) {
            return Optional.empty();
        }
        if (text == null) {
            text = "See " + url;
        }
        Recommendation.Builder r = Recommendation.builder()
                .text(Text.truncateChars(Text.repairSurrogates(text), MAX_RECOMMENDATION_TEXT));
        if (url != null) {
            r.url(url);
        }
        return Optional.of(Remediation.builder().recommendation(r.build()).build());
    }

    /** The rule's remediation URL, else its runbook or first reference, when it is an http(s) URL ASFF takes. */
    public static Optional<String> remediationUrl(RuleIdentity rule) {
        RuleGuidance g = rule.guidance();
        return Optional.ofNullable(firstUrl(g.remediationUrl(), g.runbookUrl(),
                g.references().isEmpty() ? null : g.references().get(0)));
    }

    private static String firstUrl(String... candidates) {
        for (String c : candidates) {
            if (c != null && (c.startsWith("https://") || c.startsWith("http://")) && c.length() <= MAX_URL
                    && c.chars().noneMatch(ch -> ch <= ' ')) {
                return c;
            }
        }
        return null;
    }

    /** The CloudTrail console's event page, when the event id has CloudTrail's form. */
    public static Optional<String> sourceUrl(Alert a, String region) {
        String id = a.event().id();
        if (id == null || !EVENT_ID.matcher(id).matches() || !region.matches("[a-z0-9-]{1,32}")) {
            return Optional.empty();
        }
        String host = region.startsWith("cn-") ? "console.amazonaws.cn"
                : region.startsWith("us-gov-") ? "console.amazonaws-us-gov.com" : "console.aws.amazon.com";
        return Optional.of("https://" + region + "." + host + "/cloudtrailv2/home?region=" + region + "#/events/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }
}
