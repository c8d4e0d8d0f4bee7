package io.trailguard.job.sink.ocsf;

import io.trailguard.rules.engine.Priority;

/**
 * OCSF {@code severity_id} and its caption from a Falco priority, the same steps as the ASFF labels:
 * Emergency/Alert/Critical → 5 Critical, Error → 4 High, Warning → 3 Medium, Notice → 2 Low, Informational/Debug →
 * 1 Informational (OCSF's 6 Fatal means "too late to act", which no detection is).
 */
enum OcsfSeverity {
    INFORMATIONAL(1, "Informational"), LOW(2, "Low"), MEDIUM(3, "Medium"), HIGH(4, "High"), CRITICAL(5, "Critical");

    private final int id;
    private final String caption;

    OcsfSeverity(int id, String caption) {
        this.id = id;
        this.caption = caption;
    }

    int id() {
        return id;
    }

    String caption() {
        return caption;
    }

    static OcsfSeverity of(Priority p) {
        switch (p) {
            case EMERGENCY:
            case ALERT:
            case CRITICAL:
                return CRITICAL;
            case ERROR:
                return HIGH;
            case WARNING:
                return MEDIUM;
            case NOTICE:
                return LOW;
            default:
                return INFORMATIONAL;
        }
    }

    /** The severity of a priority as Falco prints it ({@code Critical}); Informational when it is none. */
    static OcsfSeverity ofDisplay(String priority) {
        Priority p = Priority.parse(priority);
        return p == null ? INFORMATIONAL : of(p);
    }
}
