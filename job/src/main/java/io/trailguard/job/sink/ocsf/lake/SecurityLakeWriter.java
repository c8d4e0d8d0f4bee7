package io.trailguard.job.sink.ocsf.lake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.sink.ocsf.OcsfLines;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes each alert's Detection Finding into a local Parquet file of its {@link LakePartition}; a file that reaches
 * the {@link LakeFormat}'s target object size is closed and the partition's next findings go to a new one (named
 * {@code ...-SEQUENCE-pPART.parquet}, PART counting from 1). At each checkpoint
 * and at the end of the input ({@link #prepareCommit}) it closes the files, uploads each to its staging key and
 * hands them to the committer as {@link StagedObject}s; until then nothing is visible in S3, and a failure before the
 * checkpoint completes leaves the findings to be written again from the restored position.
 *
 * <p>File names are {@code trailguard-NAME-SEQUENCE.parquet}: NAME is the job id and subtask index, SEQUENCE counts
 * this writer's commits from the restored checkpoint id plus one (1 on a fresh start). Every checkpoint calls
 * {@link #prepareCommit} at most once per writer (the end of the input adds one call, whose files the next
 * checkpoint commits), so a file's SEQUENCE is never greater than the id of the checkpoint that commits it. After a
 * restore from checkpoint N, every file committed before has a SEQUENCE of at most N and every new one starts at N + 1:
 * within a job id, a name is never reused for other findings; a new job has a new job id. Where that does not hold
 * (a job id fixed across fresh starts, a restore from an older checkpoint than the newest), the committer sees the
 * other object's token at the final key and publishes under {@link StagedObject#fallbackKey} instead of dropping or
 * overwriting anything.
 */
public final class SecurityLakeWriter implements CommittingSinkWriter<Alert, StagedObject> {
    private final LakeLocation location;
    private final LakeS3 s3;
    private final OcsfLines findings;
    private final Path localDir;
    private final String name;
    private final LakeFormat format;
    private final Map<LakePartition, FindingParquetFile> open = new LinkedHashMap<>();
    /** Files closed because they reached the target object size, with their partition, in the order written. */
    private final List<Map.Entry<LakePartition, FindingParquetFile>> full = new ArrayList<>();
    private long sequence;
    private long localFiles;

    /**
     * @param name          job id and subtask, unique among the writers of this output
     * @param firstSequence the sequence number of the first commit
     */
    public SecurityLakeWriter(LakeLocation location, LakeS3 s3, OcsfLines findings, String name, long firstSequence)
            throws IOException {
        this(location, LakeFormat.DEFAULT, s3, findings, name, firstSequence);
    }

    public SecurityLakeWriter(LakeLocation location, LakeFormat format, LakeS3 s3, OcsfLines findings, String name,
                              long firstSequence) throws IOException {
        this.location = location;
        this.format = format;
        this.s3 = s3;
        this.findings = findings;
        this.name = name;
        this.sequence = firstSequence;
        this.localDir = Files.createTempDirectory("trailguard-lake-");
    }

    @Override
    public void write(Alert alert, Context context) throws IOException {
        ObjectNode finding = findings.finding(alert);
        LakePartition p = LakePartition.of(finding);
        FindingParquetFile file = open.get(p);
        if (file == null) {
            file = FindingParquetFile.create(localDir.resolve("part-" + localFiles++ + ".parquet"), format);
            open.put(p, file);
        }
        file.write(finding);
        if (file.size() >= format.targetObjectBytes()) {
            file.close();
            open.remove(p);
            full.add(Map.entry(p, file));
        }
    }

    @Override
    public void flush(boolean endOfInput) {
        // the files are closed and staged in prepareCommit, which follows every flush
    }

    @Override
    public Collection<StagedObject> prepareCommit() throws IOException {
        List<StagedObject> staged = new ArrayList<>();
        List<Map.Entry<LakePartition, FindingParquetFile>> files = new ArrayList<>(full);
        files.addAll(open.entrySet());
        Map<LakePartition, Integer> parts = new HashMap<>();
        for (Map.Entry<LakePartition, FindingParquetFile> e : files) {
            FindingParquetFile f = e.getValue();
            f.close();
            int part = parts.merge(e.getKey(), 1, Integer::sum) - 1;
            String file = fileName() + (part == 0 ? "" : "-p" + part) + ".parquet";
            StagedObject o = new StagedObject(location.bucket(), location.finalKey(e.getKey(), file),
                    location.stagingBucket(), location.stagingKey(e.getKey(), file), newToken(), f.count());
            s3.put(o.stagingBucket(), o.stagingKey(), f.path(), o.token());
            Files.deleteIfExists(f.path());
            staged.add(o);
        }
        open.clear();
        full.clear();
        sequence++;
        return staged;
    }

    /** 16 random hex digits: which file an object at a final key is. */
    private static String newToken() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private String fileName() {
        return "trailguard-" + name + "-" + sequence;
    }

    /** Drops the files not staged yet: their findings are written again after the restore that follows. */
    @Override
    public void close() throws Exception {
        try {
            List<FindingParquetFile> files = new ArrayList<>(open.values());
            full.forEach(e -> files.add(e.getValue()));
            for (FindingParquetFile f : files) {
                try {
                    f.close();
                } finally {
                    Files.deleteIfExists(f.path());
                }
            }
            open.clear();
            full.clear();
            Files.deleteIfExists(localDir);
        } finally {
            s3.close();
        }
    }
}
