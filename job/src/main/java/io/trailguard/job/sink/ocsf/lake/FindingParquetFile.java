package io.trailguard.job.sink.ocsf.lake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.sink.ocsf.DetectionFindingMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One local Parquet file of Detection Findings ({@link FindingParquetSchema}): pages compressed as its
 * {@link LakeFormat} says through {@link PageCodecs}, row groups of its size, Parquet format 1 data pages of at most
 * 1 MiB, dictionary encoding, and the OCSF version and class in the footer's key-value metadata. Built with parquet's Hadoop-free interfaces
 * ({@link LocalOutputFile}, {@link PlainParquetConfiguration}, a codec factory of our own): no Hadoop class is
 * loaded. The file is complete only once {@link #close} returns.
 */
public final class FindingParquetFile implements Closeable {
    static final int PAGE_BYTES = 1024 * 1024;
    static final Map<String, String> METADATA = Map.of(
            "ocsf.version", DetectionFindingMapper.OCSF_VERSION,
            "ocsf.class_uid", String.valueOf(DetectionFindingMapper.CLASS_UID),
            "writer", "Trailguard");

    private final Path path;
    private final ParquetWriter<ObjectNode> writer;
    private long count;
    private boolean closed;

    private FindingParquetFile(Path path, ParquetWriter<ObjectNode> writer) {
        this.path = path;
        this.writer = writer;
    }

    /** A new file at {@code path} (replacing one that is there) in the default format. */
    public static FindingParquetFile create(Path path) throws IOException {
        return create(path, LakeFormat.DEFAULT);
    }

    /** A new file at {@code path} (replacing one that is there). */
    public static FindingParquetFile create(Path path, LakeFormat format) throws IOException {
        ParquetWriter<ObjectNode> w = new Builder(new LocalOutputFile(path))
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new PageCodecs())
                .withCompressionCodec(format.codec())
                .withRowGroupSize(format.rowGroupBytes())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withPageSize(PAGE_BYTES)
                .withDictionaryEncoding(true)
                .build();
        return new FindingParquetFile(path, w);
    }

    /**
     * Appends one finding; throws IllegalArgumentException for an attribute the schema has no column for (nothing
     * of that finding is written then).
     */
    public void write(ObjectNode finding) throws IOException {
        FindingWriteSupport.check(FindingParquetSchema.get(), finding);
        writer.write(finding);
        count++;
    }

    /** Bytes written so far plus the row group being buffered: about the size the closed file will have. */
    public long size() {
        return writer.getDataSize();
    }

    public long count() {
        return count;
    }

    public Path path() {
        return path;
    }

    /** Writes the last row group and the footer (once; closing again does nothing). */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<ObjectNode, Builder> {
        Builder(OutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<ObjectNode> getWriteSupport(Configuration conf) {
            throw new UnsupportedOperationException("built without Hadoop: use a ParquetConfiguration");
        }

        @Override
        protected WriteSupport<ObjectNode> getWriteSupport(ParquetConfiguration conf) {
            return new FindingWriteSupport(FindingParquetSchema.get(), METADATA);
        }
    }
}
