package io.trailguard.job.s3;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A queue message whose files are being read: its latest receipt handle (a redelivered message gets a new one, and
 * only the latest deletes it) and the splits not yet completed. Mutated by the enumerator thread; the receipt handle
 * is read by the visibility extender too.
 */
final class InFlightMessage {
    final String messageId;
    volatile String receiptHandle;
    final Set<String> openSplits;

    InFlightMessage(String messageId, String receiptHandle, Set<String> openSplits) {
        this.messageId = messageId;
        this.receiptHandle = receiptHandle;
        this.openSplits = new LinkedHashSet<>(openSplits);
    }
}
