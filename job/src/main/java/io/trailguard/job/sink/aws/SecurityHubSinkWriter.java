package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
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
 * Imports batches of findings with {@code BatchImportFindings}. Per batch: findings listed in {@code FailedFindings}
 * are retried alone (never the whole batch) unless their error is permanent ({@code InvalidInput},
 * {@code InvalidAccess}, {@code AccessDenied}); throttling, 5xx and network errors retry the batch; a batch the service
 * refuses as a whole (4xx) is split in halves to isolate the bad finding. Waits between attempts follow the
 * {@link RetryPolicy}; a finding still failing after {@link RetryPolicy#maxAttempts()} attempts is dead-lettered.
 */
final class SecurityHubSinkWriter extends RetryingAwsWriter<Alert, FindingEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityHubSinkWriter.class);

    private final FindingMapper mapper;
    private final SecurityHubClient client;

    SecurityHubSinkWriter(ElementConverter<Alert, FindingEntry> converter, WriterInitContext context,
                          AsyncSinkWriterConfiguration config, Collection<BufferedRequestState<FindingEntry>> states,
                          FindingMapper mapper, AwsConnection connection, RetryPolicy retry,
                          SinkDeadLetters deadLetters) {
        super(converter, context, config, states, retry, deadLetters, "trailguard-securityhub", "findings");
        this.mapper = mapper;
        this.client = AwsClients.securityHubForSink(connection);
    }

    @Override
    protected long getSizeInBytes(FindingEntry entry) {
        return entry.sizeInBytes();
    }

    @Override
    protected void deliver(List<FindingEntry> batch) throws InterruptedException {
        deliver(batch, 1);
    }

    private void deliver(List<FindingEntry> batch, int firstAttempt) throws InterruptedException {
        List<FindingEntry> pending = batch;
        String lastCode = null;
        String lastError = null;
        for (int attempt = firstAttempt; ; attempt++) {
            try {
                List<AwsSecurityFinding> findings = new ArrayList<>(pending.size());
                for (FindingEntry e : pending) {
                    findings.add(e.finding(mapper));
                }
                BatchImportFindingsResponse response =
                        client.batchImportFindings(BatchImportFindingsRequest.builder().findings(findings).build());
                List<FindingEntry> again = new ArrayList<>();
                int failed = handleFailed(pending, response.failedFindings(), attempt, again);
                delivered.inc(pending.size() - failed);
                if (again.isEmpty()) {
                    return;
                }
                ImportFindingsError sample = firstRetryable(response.failedFindings());
                lastCode = sample == null ? "FailedFindings" : sample.errorCode();
                lastError = sample == null ? "failed findings" : sample.errorMessage();
                pending = again;
            } catch (RuntimeException e) {
                AwsErrors.Kind kind = AwsErrors.classify(e);
                if (kind == AwsErrors.Kind.FATAL) {
                    throw new FatalSinkException("Security Hub refused the credentials or permission ("
                            + AwsErrors.errorCode(e) + ": " + AwsErrors.message(e) + ")", e);
                }
                if (kind == AwsErrors.Kind.REJECTED) {
                    if (pending.size() > 1) {
                        int half = pending.size() / 2;
                        LOG.warn("Security Hub refused a batch of {} findings ({}: {}); splitting it", pending.size(),
                                AwsErrors.errorCode(e), AwsErrors.message(e));
                        deliver(new ArrayList<>(pending.subList(0, half)), attempt);
                        deliver(new ArrayList<>(pending.subList(half, pending.size())), attempt);
                        return;
                    }
                    deadLetterAll(pending, AwsErrors.errorCode(e), AwsErrors.message(e), attempt);
                    return;
                }
                lastCode = AwsErrors.errorCode(e);
                lastError = AwsErrors.message(e);
                LOG.debug("BatchImportFindings attempt {} failed: {}", attempt, lastCode, e);
            }
            if (attempt >= retry.maxAttempts()) {
                deadLetterAll(pending, lastCode, lastError, attempt);
                return;
            }
            LOG.info("retrying {} findings after {} (attempt {} of {})", pending.size(), lastCode, attempt,
                    retry.maxAttempts());
            backoff(attempt, pending.size());
        }
    }

    /** Sorts the failed findings into retry ({@code again}) and dead letters; returns how many failed. */
    private int handleFailed(List<FindingEntry> sent, List<ImportFindingsError> errors, int attempt,
                             List<FindingEntry> again) {
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
            if (permanent(err.errorCode()) || attempt >= retry.maxAttempts()) {
                deadLetterAll(entries, err.errorCode(), err.errorMessage(), attempt);
            } else {
                again.addAll(entries);
            }
        }
        return failed;
    }

    private static ImportFindingsError firstRetryable(List<ImportFindingsError> errors) {
        for (ImportFindingsError e : errors) {
            if (!permanent(e.errorCode())) {
                return e;
            }
        }
        return null;
    }

    /** Failed-finding error codes that no retry can fix. */
    static boolean permanent(String code) {
        String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
        return c.contains("invalidinput") || c.contains("invalidaccess") || c.contains("accessdenied")
                || c.contains("validation");
    }

    private void deadLetterAll(List<FindingEntry> entries, String code, String error, int attempts) {
        LOG.warn("dead-lettering {} findings after {} attempts: {}: {}", entries.size(), attempts, code, error);
        long now = System.currentTimeMillis();
        for (FindingEntry e : entries) {
            deadLetter(new DeadLetterRecord(DeadLetterRecord.SECURITY_HUB, e.findingId(), code, error, attempts, now,
                    e.alert().toJson()));
        }
    }

    @Override
    protected void closeClient() {
        client.close();
    }
}
