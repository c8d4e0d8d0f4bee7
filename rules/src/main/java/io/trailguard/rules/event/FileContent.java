package io.trailguard.rules.event;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The content of an input file or document: gunzipped when it starts with the gzip magic bytes, and capped, so a
 * gzip bomb or an endless file stops with {@link TooLarge} instead of exhausting memory. Shared by the file reader
 * of the engine ({@link InputFiles}) and the job's replay source.
 */
public final class FileContent {
    private FileContent() {}

    /** Opens {@code raw} as content of at most {@code maxBytes} bytes (after decompression). */
    public static InputStream open(InputStream raw, long maxBytes, int bufferBytes) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, bufferBytes);
        try {
            in.mark(2);
            int b1 = in.read();
            int b2 = in.read();
            in.reset();
            InputStream content = b1 == 0x1f && b2 == 0x8b ? new GzipContent(in) : in;
            return new CappedInputStream(content, maxBytes);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    static String size(long bytes) {
        long mib = 1024L * 1024;
        return bytes % mib == 0 ? bytes / mib + " MiB" : bytes + " bytes";
    }

    /** Content past the cap. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        public TooLarge(String message) {
            super(message);
        }
    }

    /** gzip data that cannot be decompressed. */
    public static final class CorruptGzip extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptGzip(IOException cause) {
            super("corrupt or truncated gzip data: " + cause.getMessage(), cause);
        }
    }

    /** Fails with {@link TooLarge} once more than {@code max} bytes have been read. */
    private static final class CappedInputStream extends FilterInputStream {
        private final long max;
        private long count;

        CappedInputStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            count(skipped);
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void count(long n) throws TooLarge {
            count += n;
            if (count > max) {
                throw new TooLarge("content exceeds " + size(max)
                        + " (after gzip decompression); reading stopped there");
            }
        }
    }

    /** A GZIPInputStream whose failures are {@link CorruptGzip}s. */
    private static final class GzipContent extends FilterInputStream {
        GzipContent(InputStream compressed) throws IOException {
            super(gunzip(compressed));
        }

        private static InputStream gunzip(InputStream compressed) throws IOException {
            try {
                return new GZIPInputStream(compressed, 64 * 1024);
            } catch (IOException e) {
                throw new CorruptGzip(e);
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new CorruptGzip(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new CorruptGzip(e);
            }
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
