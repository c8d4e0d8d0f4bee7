package io.trailguard.rules.engine;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What a rule file says an analyst should do about an alert: remediation text and a URL for it, reference URLs, a
 * runbook URL and known false positives. Falco rules carry it in tags ({@code remediation:...},
 * {@code remediation_url:...}, {@code ref:...}, {@code runbook:...}); Sigma rules in {@code references} and
 * {@code falsepositives}. Every part may be absent.
 */
public final class RuleGuidance implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final RuleGuidance NONE = new RuleGuidance(null, null, List.of(), null, List.of());

    private final String remediation;
    private final String remediationUrl;
    private final List<String> references;
    private final String runbookUrl;
    private final List<String> falsePositives;

    public RuleGuidance(String remediation, String remediationUrl, List<String> references, String runbookUrl,
                        List<String> falsePositives) {
        this.remediation = remediation;
        this.remediationUrl = remediationUrl;
        this.references = List.copyOf(references);
        this.runbookUrl = runbookUrl;
        this.falsePositives = List.copyOf(falsePositives);
    }

    public String remediation() {
        return remediation;
    }

    public String remediationUrl() {
        return remediationUrl;
    }

    public List<String> references() {
        return references;
    }

    public String runbookUrl() {
        return runbookUrl;
    }

    public List<String> falsePositives() {
        return falsePositives;
    }

    public boolean isEmpty() {
        return remediation == null && remediationUrl == null && references.isEmpty() && runbookUrl == null
                && falsePositives.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RuleGuidance)) {
            return false;
        }
        RuleGuidance g = (RuleGuidance) o;
        return Objects.equals(remediation, g.remediation) && Objects.equals(remediationUrl, g.remediationUrl)
                && references.equals(g.references) && Objects.equals(runbookUrl, g.runbookUrl)
                && falsePositives.equals(g.falsePositives);
    }

    @Override
    public int hashCode() {
        return Objects.hash(remediation, remediationUrl, references, runbookUrl, falsePositives);
    }
}
