package io.trailguard.job.bundle;

/** A control message or rule bundle whose structure is wrong (before any rule is compiled). */
public final class InvalidBundleException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidBundleException(String message) {
        super(message);
    }

    public InvalidBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
