package io.trailguard.job.sink.ocsf.lake;

import com.github.luben.zstd.Zstd;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Parquet's page compression without Hadoop: ZSTD through zstd-jni (standard zstd frames, as every Parquet reader
 * expects) and UNCOMPRESSED. Parquet's own codec factory instantiates Hadoop codec classes, which this job does not
 * ship; every other codec is refused by name.
 */
public final class ZstdCodecFactory implements CompressionCodecFactory {
    /** zstd's default level: the trade-off its authors recommend. */
    public static final int DEFAULT_LEVEL = 3;

    private final int level;

    public ZstdCodecFactory() {
        this(DEFAULT_LEVEL);
    }

    public ZstdCodecFactory(int level) {
        this.level = level;
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        switch (codec) {
            case ZSTD:
                return new Compressor(codec, level);
            case UNCOMPRESSED:
                return new Compressor(codec, 0);
            default:
                throw new UnsupportedOperationException("codec " + codec + " is not available (ZSTD or UNCOMPRESSED)");
        }
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        switch (codec) {
            case ZSTD:
                return new Decompressor(true);
            case UNCOMPRESSED:
                return new Decompressor(false);
            default:
                throw new UnsupportedOperationException("codec " + codec + " is not available (ZSTD or UNCOMPRESSED)");
        }
    }

    @Override
    public void release() {
    }

    private static final class Compressor implements BytesInputCompressor {
        private final CompressionCodecName codec;
        private final int level;

        Compressor(CompressionCodecName codec, int level) {
            this.codec = codec;
            this.level = level;
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            if (codec == CompressionCodecName.UNCOMPRESSED) {
                return bytes;
            }
            return BytesInput.from(Zstd.compress(bytes.toByteArray(), level));
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
        private final boolean zstd;

        Decompressor(boolean zstd) {
            this.zstd = zstd;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            if (!zstd) {
                return bytes;
            }
            byte[] out = Zstd.decompress(bytes.toByteArray(), uncompressedSize);
            if (out.length != uncompressedSize) {
                throw new IOException("zstd page of " + out.length + " bytes, expected " + uncompressedSize);
            }
            return BytesInput.from(out);
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
