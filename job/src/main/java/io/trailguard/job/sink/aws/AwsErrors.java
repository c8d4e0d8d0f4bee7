package io.trailguard.job.sink.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.io.IOException;
import java.util.Locale;

/** How the sinks treat a failed AWS call. */
public final class AwsErrors {
    /** What to do about an error. */
    public enum Kind {
        /** Throttling, 5xx, network trouble, timeouts: retry with backoff. */
        RETRYABLE,
        /** Bad credentials: fail the job (the checkpointed state keeps the entries). */
        FATAL,
        /**
         * The service refuses this account until an operator acts: Security Hub not enabled in the region or the
         * product not subscribed ({@code InvalidAccessException}), a missing permission ({@code AccessDenied*},
         * another 403). Held or dead-lettered, never a job failure (a restart meets the same refusal).
         */
        UNAVAILABLE,
        /** The request itself was refused (4xx): split the batch to isolate the bad entry, dead-letter it. */
        REJECTED
    }

    private AwsErrors() {
    }

    public static Kind classify(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof AwsServiceException || e instanceof SdkServiceException) {
            SdkServiceException s = (SdkServiceException) e;
            String code = errorCode(e).toLowerCase(Locale.ROOT);
            int status = s.statusCode();
            if (s.isThrottlingException() || status == 429 || status >= 500 || code.contains("throttl")
                    || code.contains("toomanyrequests") || code.contains("limitexceeded")
                    || code.contains("serviceunavailable") || code.contains("internal")
                    || code.contains("requesttimeout") || code.contains("priorrequestnotcomplete")) {
                return Kind.RETRYABLE;
            }
            if (code.contains("unrecognizedclient") || code.contains("invalidclienttokenid")
                    || code.contains("signaturedoesnotmatch") || code.contains("invalidsignature")
                    || code.contains("expiredtoken") || code.contains("missingauthenticationtoken")) {
                return Kind.FATAL;
            }
            // Security Hub answers InvalidAccessException with HTTP 401: the code decides, not the status
            if (code.contains("accessdenied") || code.contains("invalidaccess") || status == 403) {
                return Kind.UNAVAILABLE;
            }
            if (status == 401) {
                return Kind.FATAL;
            }
            return Kind.REJECTED;
        }
        if (e instanceof AbortedException || e instanceof InterruptedException) {
            return Kind.RETRYABLE; // shutting down or cancelled: the entries are not lost, the job restarts them
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException
                || e instanceof IOException || e instanceof SdkClientException) {
            return Kind.RETRYABLE;
        }
        return Kind.RETRYABLE;
    }

    /** The AWS error code ("ThrottlingException"), the HTTP status, or the exception class. */
    public static String errorCode(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof AwsServiceException) {
            AwsServiceException a = (AwsServiceException) e;
            if (a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null) {
                return a.awsErrorDetails().errorCode();
            }
            return "HTTP " + a.statusCode();
        }
        if (e instanceof SdkServiceException) {
            return "HTTP " + ((SdkServiceException) e).statusCode();
        }
        return e.getClass().getSimpleName();
    }

    /** One-line message (no request ids), at most 1000 characters. */
    public static String message(Throwable t) {
        Throwable e = unwrap(t);
        String m = e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null
                ? ((AwsServiceException) e).awsErrorDetails().errorMessage() : e.getMessage();
        if (m == null) {
            m = e.getClass().getName();
        }
        return Text.truncateChars(Text.oneLine(m), 1000);
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
