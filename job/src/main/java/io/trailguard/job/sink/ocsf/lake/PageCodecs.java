package io.trailguard.job.sink.ocsf.lake;

import com.github.luben.zstd.Zstd;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Parquet's page compression without Hadoop, in the frames every Parquet reader expects: ZSTD through zstd-jni
 * (standard zstd frames), SNAPPY through snappy-java (raw snappy blocks, not the framed format), GZIP through
 * {@code java.util.zip} (gzip members), and UNCOMPRESSED. Parquet's own codec factory instantiates Hadoop codec
 * classes, which this job does not ship; every other codec is refused by name.
 */
public final class PageCodecs implements CompressionCodecFactory {
    /** zstd's default level: the trade-off its authors recommend. */
    public static final int ZSTD_LEVEL = 3;

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        check(codec);
        return new Compressor(codec);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        check(codec);
        return new Decompressor(codec);
    }

    /** Whether pages can be written and read with {@code codec} here. */
    public static boolean supports(CompressionCodecName codec) {
        switch (codec) {
            case ZSTD:
            case SNAPPY:
            case GZIP:
            case UNCOMPRESSED:
                return true;
            default:
                return false;
        }
    }

    private static void check(CompressionCodecName codec) {
        if (!supports(codec)) {
            throw new UnsupportedOperationException("codec " + codec
                    + " is not available (ZSTD, SNAPPY, GZIP or UNCOMPRESSED)");
        }
    }

    @Override
    public void release() {
    }

    private static byte[] compress(CompressionCodecName codec, byte[] in) throws IOException {
        switch (codec) {
            case ZSTD:
                return Zstd.compress(in, ZSTD_LEVEL);
            case SNAPPY:
                return Snappy.compress(in);
            case GZIP: {
                ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 2 + 64);
                try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                    gz.write(in);
                }
                return out.toByteArray();
            }
            default:
                return in;
        }
    }

    private static byte[] decompress(CompressionCodecName codec, byte[] in, int size) throws IOException {
        byte[] out;
        switch (codec) {
            case ZSTD:
                out = Zstd.decompress(in, size);
                break;
            case SNAPPY:
                out = Snappy.uncompress(in);
                break;
            case GZIP:
                try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(in))) {
                    out = gz.readAllBytes();
                }
                break;
            default:
                out = in;
        }
        if (out.length != size) {
            throw new IOException(codec + " page of " + out.length + " bytes, expected " + size);
        }
        return out;
    }

    private static final class Compressor implements BytesInputCompressor {
        private final CompressionCodecName codec;

        Compressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            return BytesInput.from(PageCodecs.compress(codec, bytes.toByteArray()));
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {
        }
    }

    private static final class Decompressor implements BytesInputDecompressor {
        private final CompressionCodecName codec;

        Decompressor(CompressionCodecName codec) {
            this.codec = codec;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            return BytesInput.from(PageCodecs.decompress(codec, bytes.toByteArray(), uncompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(decompress(BytesInput.from(in), uncompressedSize).toByteArray());
        }

        @Override
        public void release() {
        }
    }
}
