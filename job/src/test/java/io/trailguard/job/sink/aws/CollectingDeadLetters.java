package io.trailguard.job.sink.aws;

import io.trailguard.rules.event.DeadLetter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A dead-letter handler that keeps records in memory (shared by key, so it survives serialisation into a job). */
final class CollectingDeadLetters implements SinkDeadLetters {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<DeadLetter>> RECORDS = new ConcurrentHashMap<>();

    private final String key = UUID.randomUUID().toString();

    CollectingDeadLetters() {
        RECORDS.put(key, new ConcurrentLinkedQueue<>());
    }

    @Override
    public void accept(DeadLetter letter, int subtask) {
        RECORDS.get(key).add(letter);
    }

    List<DeadLetter> records() {
        return new ArrayList<>(RECORDS.get(key));
    }
}
