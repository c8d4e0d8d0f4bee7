package io.trailguard.rules.engine;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Who did what to which resources, extracted once from the event by {@link SubjectExtractor}: the principal
 * (ARN, name, {@code userIdentity.type}, account, access key id), where the call came from (source IP, user
 * agent), the API call (service and name, error code when it failed) and the resources the request targets. Every
 * part may be null (or empty); a rate alert's subject holds what its group and carried output values tell.
 */
public final class EventSubject implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final EventSubject NONE = builder().build();

    private final String principalArn;
    private final String principalName;
    private final String principalType;
    private final String principalAccount;
    private final String accessKeyId;
    private final String sourceIp;
    private final String userAgent;
    private final String eventSource;
    private final String eventName;
    private final String errorCode;
    private final List<TargetResource> resources;
    /** The subject's members of the alert line, written on first use by {@link AlertJson} (derived, not state). */
    transient volatile String json;

    private EventSubject(Builder b) {
        this.principalArn = b.principalArn;
        this.principalName = b.principalName;
        this.principalType = b.principalType;
        this.principalAccount = b.principalAccount;
        this.accessKeyId = b.accessKeyId;
        this.sourceIp = b.sourceIp;
        this.userAgent = b.userAgent;
        this.eventSource = b.eventSource;
        this.eventName = b.eventName;
        this.errorCode = b.errorCode;
        this.resources = List.copyOf(b.resources);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String principalArn() {
        return principalArn;
    }

    /** The user name, role name or session name. */
    public String principalName() {
        return principalName;
    }

    /** {@code userIdentity.type}: IAMUser, AssumedRole, Root, AWSService, FederatedUser, ... */
    public String principalType() {
        return principalType;
    }

    public String principalAccount() {
        return principalAccount;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String sourceIp() {
        return sourceIp;
    }

    public String userAgent() {
        return userAgent;
    }

    /** The API's service endpoint ({@code cloudtrail.amazonaws.com}). */
    public String eventSource() {
        return eventSource;
    }

    /** The API action ({@code StopLogging}). */
    public String eventName() {
        return eventName;
    }

    /** The error the call failed with, or null when it succeeded. */
    public String errorCode() {
        return errorCode;
    }

    public List<TargetResource> resources() {
        return resources;
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.principalArn = principalArn;
        b.principalName = principalName;
        b.principalType = principalType;
        b.principalAccount = principalAccount;
        b.accessKeyId = accessKeyId;
        b.sourceIp = sourceIp;
        b.userAgent = userAgent;
        b.eventSource = eventSource;
        b.eventName = eventName;
        b.errorCode = errorCode;
        b.resources.addAll(resources);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EventSubject)) {
            return false;
        }
        EventSubject s = (EventSubject) o;
        return Objects.equals(principalArn, s.principalArn) && Objects.equals(principalName, s.principalName)
                && Objects.equals(principalType, s.principalType)
                && Objects.equals(principalAccount, s.principalAccount)
                && Objects.equals(accessKeyId, s.accessKeyId) && Objects.equals(sourceIp, s.sourceIp)
                && Objects.equals(userAgent, s.userAgent) && Objects.equals(eventSource, s.eventSource)
                && Objects.equals(eventName, s.eventName) && Objects.equals(errorCode, s.errorCode)
                && resources.equals(s.resources);
    }

    @Override
    public int hashCode() {
        return Objects.hash(principalArn, principalName, principalType, accessKeyId, sourceIp, eventName, resources);
    }

    /** Builds a subject; blank values count as absent. */
    public static final class Builder {
        private String principalArn;
        private String principalName;
        private String principalType;
        private String principalAccount;
        private String accessKeyId;
        private String sourceIp;
        private String userAgent;
        private String eventSource;
        private String eventName;
        private String errorCode;
        private final java.util.ArrayList<TargetResource> resources = new java.util.ArrayList<>();

        private Builder() {
        }

        private static String v(String s) {
            return s == null || s.isBlank() ? null : s;
        }

        public Builder principalArn(String s) {
            principalArn = v(s);
            return this;
        }

        public Builder principalName(String s) {
            principalName = v(s);
            return this;
        }

        public Builder principalType(String s) {
            principalType = v(s);
            return this;
        }

        public Builder principalAccount(String s) {
            principalAccount = v(s);
            return this;
        }

        public Builder accessKeyId(String s) {
            accessKeyId = v(s);
            return this;
        }

        public Builder sourceIp(String s) {
            sourceIp = v(s);
            return this;
        }

        public Builder userAgent(String s) {
            userAgent = v(s);
            return this;
        }

        public Builder eventSource(String s) {
            eventSource = v(s);
            return this;
        }

        public Builder eventName(String s) {
            eventName = v(s);
            return this;
        }

        public Builder errorCode(String s) {
            errorCode = v(s);
            return this;
        }

        /** Adds a target resource unless the same kind and value is already there. */
        public Builder resource(ResourceKind kind, String value, String from) {
            String val = v(value);
            if (val == null) {
                return this;
            }
            for (TargetResource r : resources) {
                if (r.kind() == kind && r.value().equals(val)) {
                    return this;
                }
            }
            resources.add(new TargetResource(kind, val, from));
            return this;
        }

        public EventSubject build() {
            return new EventSubject(this);
        }
    }
}
