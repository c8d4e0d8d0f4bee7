package io.trailguard.job.sink.ocsf.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Parquet file of findings back with parquet's own file reader and record assembly (the example Group
 * model, driven by the schema in the file's footer, not by ours) and turns each record into the JSON tree it was
 * written from. Hadoop-free, like the writer.
 */
public final class ParquetFindings {
    public final MessageType schema;
    public final Map<String, String> metadata;
    public final Set<CompressionCodecName> codecs;
    public final List<ObjectNode> findings;
    public final int rowGroups;

    private ParquetFindings(MessageType schema, Map<String, String> metadata, Set<CompressionCodecName> codecs,
                            List<ObjectNode> findings, int rowGroups) {
        this.rowGroups = rowGroups;
        this.schema = schema;
        this.metadata = metadata;
        this.codecs = codecs;
        this.findings = findings;
    }

    public static ParquetFindings read(Path file) throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(new PageCodecs()).build();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
            ParquetMetadata footer = reader.getFooter();
            MessageType schema = footer.getFileMetaData().getSchema();
            Set<CompressionCodecName> codecs = new HashSet<>();
            for (BlockMetaData b : footer.getBlocks()) {
                for (ColumnChunkMetaData c : b.getColumns()) {
                    codecs.add(c.getCodec());
                }
            }
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            List<ObjectNode> out = new ArrayList<>();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    out.add(object(records.read(), schema));
                }
            }
            return new ParquetFindings(schema, footer.getFileMetaData().getKeyValueMetaData(), codecs, out,
                    footer.getBlocks().size());
        }
    }

    private static ObjectNode object(Group g, GroupType type) throws IOException {
        ObjectNode o = JobJson.mapper().createObjectNode();
        for (int i = 0; i < type.getFieldCount(); i++) {
            if (g.getFieldRepetitionCount(i) == 0) {
                continue;
            }
            Type t = type.getType(i);
            o.set(t.getName(), value(g, i, t));
        }
        return o;
    }

    private static JsonNode value(Group g, int i, Type t) throws IOException {
        if (t.isPrimitive()) {
            PrimitiveType p = t.asPrimitiveType();
            switch (p.getPrimitiveTypeName()) {
                case INT32:
                    return JobJson.mapper().getNodeFactory().numberNode(g.getInteger(i, 0));
                case INT64:
                    return JobJson.mapper().getNodeFactory().numberNode(g.getLong(i, 0));
                case BOOLEAN:
                    return JobJson.mapper().getNodeFactory().booleanNode(g.getBoolean(i, 0));
                case DOUBLE:
                    return JobJson.mapper().getNodeFactory().numberNode(g.getDouble(i, 0));
                case BINARY:
                    String s = g.getString(i, 0);
                    return p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation
                            ? JobJson.mapper().readTree(s) : JobJson.mapper().getNodeFactory().textNode(s);
                default:
                    throw new IllegalStateException("unexpected column " + p);
            }
        }
        GroupType gt = t.asGroupType();
        Group child = g.getGroup(i, 0);
        if (!(gt.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)) {
            return object(child, gt);
        }
        ArrayNode a = JobJson.mapper().createArrayNode();
        Type element = gt.getType(0).asGroupType().getType(0);
        for (int k = 0; k < child.getFieldRepetitionCount(0); k++) {
            Group item = child.getGroup(0, k);
            if (item.getFieldRepetitionCount(0) == 0) {
                a.addNull();
            } else {
                a.add(value(item, 0, element));
            }
        }
        return a;
    }
}
