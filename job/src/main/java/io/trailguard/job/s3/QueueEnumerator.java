package io.trailguard.job.s3;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Receives the queue's notifications and hands their files to the readers, one file per split request, so each file
 * is read by one reader. Contract:
 * <ul>
 *   <li>Messages are received only while fewer files wait than there are readers (back-pressure: a message is not
 *       held unread), with the source's visibility timeout; every message in flight is extended to that timeout
 *       again every third of it, so a long file or a slow job never lets it reappear.</li>
 *   <li>A message is deleted only when every file it announced is completed: read by a reader and covered by a
 *       completed checkpoint ({@link SplitsCompleted}). A message that announces nothing to read (a test event,
 *       digest files, other accounts' files) is deleted at once; one that is not a notification is left to the
 *       queue's redrive policy (it reappears after the visibility timeout and moves to the dead-letter queue after
 *       {@code maxReceiveCount} receives).</li>
 *   <li>A redelivered message already in flight (after a restore, its visibility ran out) only refreshes the receipt
 *       handle: its files are not read twice.</li>
 * </ul>
 * SQS calls run on two threads of its own, one receiving (a long poll would starve anything queued behind it) and
 * one deleting and extending; state changes happen on the coordinator thread.
 */
final class QueueEnumerator implements SplitEnumerator<ObjectSplit, QueueCheckpoint> {
    private static final Logger LOG = LoggerFactory.getLogger(QueueEnumerator.class);
    private static final long POLL_INTERVAL_MS = 200;
    private static final int WAIT_SECONDS = 1;

    private final SplitEnumeratorContext<ObjectSplit> context;
    private final QueueSettings settings;
    private final Map<String, InFlightMessage> inFlight = new ConcurrentHashMap<>();
    private final Deque<ObjectSplit> unassigned = new ArrayDeque<>();
    private final Set<Integer> waiting = new LinkedHashSet<>();
    private final AtomicInteger wanted = new AtomicInteger();
    private final FileCounters counters;
    private SqsClient sqs;
    private ScheduledExecutorService receiver;
    private ScheduledExecutorService housekeeper;
    private volatile String queueUrl;

    QueueEnumerator(SplitEnumeratorContext<ObjectSplit> context, QueueSettings settings, QueueCheckpoint restored) {
        this.context = context;
        this.settings = settings;
        for (InFlightMessage m : restored.messages) {
            inFlight.put(m.messageId, m);
        }
        unassigned.addAll(restored.unassigned);
        this.counters = FileCounters.enumerator(context.metricGroup());
    }

    @Override
    public void start() {
        sqs = settings.sqs();
        updateWanted();
        receiver = Executors.newSingleThreadScheduledExecutor(daemon("sqs-receive"));
        housekeeper = Executors.newSingleThreadScheduledExecutor(daemon("sqs-visibility"));
        receiver.execute(this::receiveRound);
        long extendEvery = settings.visibilitySeconds() * 1000L / 3;
        housekeeper.scheduleWithFixedDelay(() -> {
            try {
                extendVisibility();
            } catch (RuntimeException e) {
                LOG.warn("queue {}: extending the visibility of messages in flight failed: {}", settings.queue(),
                        e.toString());
            }
        }, extendEvery, extendEvery, TimeUnit.MILLISECONDS);
        LOG.info("S3 notifications from {}: {} message(s) and {} file(s) in flight from the restored state",
                settings, inFlight.size(), unassigned.size());
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Receiver thread: the next messages when readers need files, then the next round. */
    private void receiveRound() {
        long delay = POLL_INTERVAL_MS;
        try {
            int n = Math.min(10, wanted.get());
            if (n > 0) {
                String url = url();
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(n)
                        .waitTimeSeconds(WAIT_SECONDS).visibilityTimeout(settings.visibilitySeconds())).messages();
                if (!messages.isEmpty()) {
                    wanted.addAndGet(-messages.size());
                    context.runInCoordinatorThread(() -> onReceived(messages));
                    delay = 0;
                }
            }
        } catch (RuntimeException e) {
            if (receiver.isShutdown()) {
                return;
            }
            LOG.warn("queue {}: receiving messages failed (retried in 1 s): {}", settings.queue(), e.toString());
            delay = 1000;
        }
        if (!receiver.isShutdown()) {
            receiver.schedule(this::receiveRound, delay, TimeUnit.MILLISECONDS);
        }
    }

    private String url() {
        if (queueUrl == null) {
            queueUrl = settings.resolveQueueUrl(sqs);
            LOG.info("S3 notifications: queue URL {}", queueUrl);
        }
        return queueUrl;
    }

    /** Coordinator thread: the received messages become splits. */
    private void onReceived(List<Message> messages) {
        for (Message m : messages) {
            InFlightMessage known = inFlight.get(m.messageId());
            if (known != null) {
                known.receiptHandle = m.receiptHandle();
                continue;
            }
            accept(m);
        }
        assign();
    }

    private void accept(Message m) {
        Notification n = Notification.parse(m.body());
        if (n.unrecognised() != null) {
            counters.notificationsUnrecognised.inc();
            LOG.warn("queue {}: message {} is not an S3 object notification ({}); it is left to the queue's redrive "
                    + "policy", settings.queue(), m.messageId(), n.unrecognised());
            return;
        }
        if (n.skipped() != null) {
            counters.notificationsSkipped.inc();
            LOG.info("queue {}: message {} announces no object ({}): deleted", settings.queue(), m.messageId(),
                    n.skipped());
            delete(m.messageId(), m.receiptHandle());
            return;
        }
        List<ObjectSplit> splits = new ArrayList<>();
        for (int i = 0; i < n.objects().size(); i++) {
            ObjectRef o = n.objects().get(i);
            TrailKey key = TrailKey.parse(o.key());
            switch (settings.filter().decide(key)) {
                case READ:
                    splits.add(new ObjectSplit(m.messageId(), i, o, key.account() + "/" + key.region(), 0, false));
                    break;
                case DIGEST:
                    counters.skippedDigest.inc();
                    break;
                case NOT_CLOUDTRAIL:
                    counters.skippedNotCloudTrail.inc();
                    LOG.debug("skipping {}: not a CloudTrail log file key", o);
                    break;
                default:
                    counters.skippedFiltered.inc();
            }
        }
        if (splits.isEmpty()) {
            delete(m.messageId(), m.receiptHandle());
            return;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (ObjectSplit s : splits) {
            ids.add(s.splitId());
        }
        inFlight.put(m.messageId(), new InFlightMessage(m.messageId(), m.receiptHandle(), ids));
        unassigned.addAll(splits);
    }

    private void assign() {
        while (!waiting.isEmpty() && !unassigned.isEmpty()) {
            Integer reader = waiting.iterator().next();
            waiting.remove(reader);
            if (!context.registeredReaders().containsKey(reader)) {
                continue;
            }
            context.assignSplit(unassigned.poll(), reader);
        }
        updateWanted();
    }

    private void updateWanted() {
        wanted.set(Math.max(0, Math.max(1, context.currentParallelism()) + waiting.size() - unassigned.size()));
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        waiting.add(subtaskId);
        assign();
    }

    @Override
    public void addSplitsBack(List<ObjectSplit> splits, int subtaskId) {
        for (int i = splits.size() - 1; i >= 0; i--) {
            ObjectSplit s = splits.get(i);
            if (s.finished()) {
                complete(List.of(s.splitId()));
            } else {
                unassigned.addFirst(s);
            }
        }
        assign();
    }

    @Override
    public void addReader(int subtaskId) {
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof SplitsCompleted) {
            complete(((SplitsCompleted) event).splitIds());
        }
    }

    private void complete(List<String> splitIds) {
        for (String id : splitIds) {
            InFlightMessage m = inFlight.get(ObjectSplit.messageOf(id));
            if (m == null) {
                continue;
            }
            m.openSplits.remove(id);
            if (m.openSplits.isEmpty()) {
                inFlight.remove(m.messageId);
                delete(m.messageId, m.receiptHandle);
            }
        }
    }

    private void delete(String messageId, String receiptHandle) {
        housekeeper.execute(() -> {
            try {
                sqs.deleteMessage(r -> r.queueUrl(url()).receiptHandle(receiptHandle));
                counters.messagesDeleted.inc();
            } catch (RuntimeException e) {
                // an outdated receipt handle (the message was received again meanwhile) or an outage: the message
                // reappears, and its files are read again; the eventID dedup absorbs the repeat
                LOG.warn("queue {}: deleting message {} failed: {}", settings.queue(), messageId, e.toString());
            }
        });
    }

    /** Housekeeper thread: every message in flight gets the full visibility timeout again. */
    private Integer extendVisibility() {
        List<InFlightMessage> all = new ArrayList<>(inFlight.values());
        int extended = 0;
        for (int from = 0; from < all.size(); from += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> batch = new ArrayList<>();
            Map<String, InFlightMessage> byEntry = new LinkedHashMap<>();
            for (int i = from; i < Math.min(all.size(), from + 10); i++) {
                String entryId = "m" + i;
                byEntry.put(entryId, all.get(i));
                batch.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(entryId)
                        .receiptHandle(all.get(i).receiptHandle).visibilityTimeout(settings.visibilitySeconds())
                        .build());
            }
            try {
                ChangeMessageVisibilityBatchResponse r = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url())
                        .entries(batch));
                extended += r.successful().size();
                r.failed().forEach(f -> LOG.warn("queue {}: cannot extend the visibility of message {}: {} {}",
                        settings.queue(), byEntry.get(f.id()).messageId, f.code(), f.message()));
            } catch (SqsException e) {
                LOG.warn("queue {}: extending visibility failed: {}", settings.queue(), e.toString());
            }
        }
        return extended;
    }

    @Override
    public QueueCheckpoint snapshotState(long checkpointId) {
        List<InFlightMessage> messages = new ArrayList<>();
        for (InFlightMessage m : inFlight.values()) {
            messages.add(new InFlightMessage(m.messageId, m.receiptHandle, m.openSplits));
        }
        return new QueueCheckpoint(messages, new ArrayList<>(unassigned));
    }

    @Override
    public void close() {
        if (receiver != null) {
            receiver.shutdownNow();
            housekeeper.shutdownNow();
        }
        if (sqs != null) {
            sqs.close();
        }
    }
}
