package io.trailguard.job.sink.aws;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.BatchImportFindingsRequest;
import software.amazon.awssdk.services.securityhub.model.BatchImportFindingsResponse;
import software.amazon.awssdk.services.securityhub.model.ImportFindingsError;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Imports batches of findings with {@code BatchImportFindings}, one attempt per batch ({@link RetryingAwsWriter}
 * holds and retries what is left). Per attempt:
 * <ul>
 *   <li>findings in {@code FailedFindings} with an invalid-input code ({@code InvalidInput}, {@code Validation*}) are
 *       dead-lettered with their reason; with an access code ({@code InvalidAccess}, {@code AccessDenied}: Security
 *       Hub not enabled, product not subscribed, another account) the service is unavailable for them; any other
 *       code is retried, alone (never the whole batch);</li>
 *   <li>throttling, 5xx, network errors and timeouts leave the whole batch to retry;</li>
 *   <li>{@code InvalidAccessException} / {@code AccessDeniedException} for the call: unavailable, held (or
 *       dead-lettered with {@code securityhub.on_unavailable=dead_letter}), never a job failure;</li>
 *   <li>another 4xx for the call: the batch is split in halves to isolate the invalid finding, which is
 *       dead-lettered;</li>
 *   <li>bad credentials fail the job.</li>
 * </ul>
 */
final class SecurityHubSinkWriter extends RetryingAwsWriter<Alert, FindingEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityHubSinkWriter.class);

    private final FindingMapper mapper;
    private final SecurityHubClient client;
    private final String region;

    SecurityHubSinkWriter(ElementConverter<Alert, FindingEntry> converter, WriterInitContext context,
                          AsyncSinkWriterConfiguration config, Collection<BufferedRequestState<FindingEntry>> states,
                          HeldEntries<FindingEntry> held, FindingMapper mapper, AwsConnection connection,
                          RetryPolicy retry, SinkDeadLetters deadLetters, OnUnavailable onUnavailable) {
        super(converter, context, config, states, held, retry, deadLetters, onUnavailable, "trailguard-securityhub",
                "findings", "Security Hub", target(connection), "findings");
        this.mapper = mapper;
        this.region = connection.resolveRegion();
        this.client = AwsClients.securityHubForSink(connection);
    }

    static String target(AwsConnection c) {
        return c.endpoint() != null ? "endpoint " + c.endpoint() : "region " + c.resolveRegion();
    }

    @Override
    protected long getSizeInBytes(FindingEntry entry) {
        return entry.sizeInBytes();
    }

    @Override
    protected void attempt(List<FindingEntry> batch, Attempt attempt) {
        List<AwsSecurityFinding> findings = new ArrayList<>(batch.size());
        for (FindingEntry e : batch) {
            findings.add(e.finding(mapper));
        }
        BatchImportFindingsResponse response;
        try {
            response = client.batchImportFindings(BatchImportFindingsRequest.builder().findings(findings).build());
        } catch (RuntimeException e) {
            switch (AwsErrors.classify(e)) {
                case FATAL:
                    throw new FatalSinkException("Security Hub refused the credentials (" + AwsErrors.errorCode(e)
                            + ": " + AwsErrors.message(e) + ")", e);
                case UNAVAILABLE:
                    attempt.unavailable(batch, DeliveryFailure.unavailable(e));
                    return;
                case REJECTED:
                    if (batch.size() > 1) {
                        int half = batch.size() / 2;
                        LOG.warn("Security Hub refused a batch of {} findings ({}: {}); splitting it", batch.size(),
                                AwsErrors.errorCode(e), AwsErrors.message(e));
                        attempt(new ArrayList<>(batch.subList(0, half)), attempt);
                        attempt(new ArrayList<>(batch.subList(half, batch.size())), attempt);
                    } else {
                        attempt.deadLetterAll(batch, AwsErrors.errorCode(e), AwsErrors.message(e));
                    }
                    return;
                default:
                    LOG.debug("BatchImportFindings failed: {}", AwsErrors.errorCode(e), e);
                    attempt.retry(batch, DeliveryFailure.retryable(e));
                    return;
            }
        }
        int failed = sortFailed(batch, response.failedFindings(), attempt);
        attempt.delivered(batch.size() - failed);
    }

    /** Sorts the failed findings into dead letters, unavailable and retries; returns how many failed. */
    private int sortFailed(List<FindingEntry> sent, List<ImportFindingsError> errors, Attempt attempt) {
        if (errors == null || errors.isEmpty()) {
            return 0;
        }
        Map<String, List<FindingEntry>> byId = new HashMap<>();
        for (FindingEntry e : sent) {
            byId.computeIfAbsent(e.findingId(), k -> new ArrayList<>()).add(e);
        }
        int failed = 0;
        for (ImportFindingsError err : errors) {
            List<FindingEntry> entries = byId.remove(err.id());
            if (entries == null) {
                continue; // unknown or repeated id
            }
            failed += entries.size();
            String code = err.errorCode() == null ? "FailedFinding" : err.errorCode();
            String message = err.errorMessage() == null ? "" : err.errorMessage();
            if (invalid(code)) {
                attempt.deadLetterAll(entries, code, message);
            } else if (accessDenied(code)) {
                attempt.unavailable(entries, new DeliveryFailure(DeliveryFailure.Kind.UNAVAILABLE, code, message));
            } else {
                attempt.retry(entries, new DeliveryFailure(DeliveryFailure.Kind.RETRYABLE, code, message));
            }
        }
        return failed;
    }

    /** Failed-finding codes that say the finding itself is invalid: no retry can fix it. */
    static boolean invalid(String code) {
        String c = code.toLowerCase(Locale.ROOT);
        return c.contains("invalidinput") || c.contains("validation");
    }

    /** Failed-finding codes that say Security Hub is not enabled, not subscribed, or not ours for this account. */
    static boolean accessDenied(String code) {
        String c = code.toLowerCase(Locale.ROOT);
        return c.contains("invalidaccess") || c.contains("accessdenied");
    }

    @Override
    protected DeadLetter deadLetter(FindingEntry e, String code, String error, int attempts, long now) {
        return DeadLetter.undelivered(new DeadLetter.Delivery(SinkDeadLetters.SECURITY_HUB, e.findingId(), code, error,
                attempts, now, "alert", e.alert().toJson()));
    }

    @Override
    protected String unavailableText(DeliveryFailure f, FindingEntry sample) {
        String account = sample == null ? "?" : sample.finding(mapper).awsAccountId();
        return "Security Hub is not enabled in " + region + " for account " + account
                + ", or the product subscription or the securityhub:BatchImportFindings permission is missing: "
                + "findings are held; enable Security Hub (and the product integration), or set "
                + "securityhub.on_unavailable=dead_letter";
    }

    @Override
    protected void closeClient() {
        client.close();
    }
}
