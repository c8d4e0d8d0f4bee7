package io.trailguard.job.sink.aws;

/**
 * Why an attempt left entries undelivered: a {@link Kind#RETRYABLE} error (throttling, 5xx, network, timeouts) or
 * the service being {@link Kind#UNAVAILABLE} until an operator acts (not enabled, not subscribed, no permission, no
 * log group). Entries refused as invalid are not a delivery failure: they are dead-lettered at once.
 */
final class DeliveryFailure {
    enum Kind { RETRYABLE, UNAVAILABLE }

    final Kind kind;
    final String code;
    final String message;

    DeliveryFailure(Kind kind, String code, String message) {
        this.kind = kind;
        this.code = code;
        this.message = message;
    }

    static DeliveryFailure retryable(Throwable e) {
        return new DeliveryFailure(Kind.RETRYABLE, AwsErrors.errorCode(e), AwsErrors.message(e));
    }

    static DeliveryFailure unavailable(Throwable e) {
        return new DeliveryFailure(Kind.UNAVAILABLE, AwsErrors.errorCode(e), AwsErrors.message(e));
    }

    boolean unavailable() {
        return kind == Kind.UNAVAILABLE;
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
