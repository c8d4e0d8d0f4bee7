package io.trailguard.rules.engine;

import java.io.Writer;

/**
 * An unsynchronised {@link Writer} into a {@link StringBuilder} sized for one alert line: the generator buffers its
 * own output, so this only collects its flushes (no per-line buffer pool to allocate and release).
 */
final class TextWriter extends Writer {
    private final StringBuilder text;

    TextWriter(int capacity) {
        this.text = new StringBuilder(capacity);
    }

    @Override
    public void write(char[] buf, int off, int len) {
        text.append(buf, off, len);
    }

    @Override
    public void write(String s, int off, int len) {
        text.append(s, off, off + len);
    }

    @Override
    public void write(int c) {
        text.append((char) c);
    }

    @Override
    public Writer append(CharSequence s) {
        text.append(s);
        return this;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** The number of characters written so far. */
    int length() {
        return text.length();
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
