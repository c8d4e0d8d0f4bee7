package io.trailguard.rules.incident;

import java.io.Serializable;
import java.util.Objects;

/**
 * The acting principal of an alert, as far as the incident stage needs it: who (principal ARN, access key id,
 * principal name) and from where (source address). {@link #key()} is what alerts are grouped by.
 */
public final class Actor implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String principalArn;
    private final String accessKeyId;
    private final String principalName;
    private final String sourceAddress;

    public Actor(String principalArn, String accessKeyId, String principalName, String sourceAddress) {
        this.principalArn = blankToNull(principalArn);
        this.accessKeyId = blankToNull(accessKeyId);
        this.principalName = blankToNull(principalName);
        this.sourceAddress = blankToNull(sourceAddress);
    }

    /**
     * The grouping key: the principal ARN (for an assumed role it names the session:
     * {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}), else {@code accessKey:ID}, else {@code name:NAME};
     * null when the alert names no principal (it is then not correlated). The source address is not part of the key:
     * a principal's alerts from several addresses are one attack (an attacker moving between hosts or VPN exits),
     * and rate alerts grouped by principal carry no single address. The incident lists the addresses instead.
     */
    public String key() {
        if (principalArn != null) {
            return principalArn;
        }
        if (accessKeyId != null) {
            return "accessKey:" + accessKeyId;
        }
        if (principalName != null) {
            return "name:" + principalName;
        }
        return null;
    }

    public String principalArn() {
        return principalArn;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String principalName() {
        return principalName;
    }

    public String sourceAddress() {
        return sourceAddress;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Actor)) {
            return false;
        }
        Actor a = (Actor) o;
        return Objects.equals(principalArn, a.principalArn) && Objects.equals(accessKeyId, a.accessKeyId)
                && Objects.equals(principalName, a.principalName) && Objects.equals(sourceAddress, a.sourceAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(principalArn, accessKeyId, principalName, sourceAddress);
    }

    @Override
    public String toString() {
        return key() + (sourceAddress == null ? "" : " from " + sourceAddress);
    }
}
