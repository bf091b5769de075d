package uk.familylink.adapter.aws;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An object read as consecutive ranged GETs of at most {@code windowBytes} each, each window read
 * whole into memory before the caller sees a byte of it. So no S3 connection is held open while the
 * caller works (the linking pass of a large file takes minutes, and a connection held that long is
 * reset or cut short by servers and proxies), memory stays bounded by one window, and a window that
 * breaks or arrives short is fetched again from its start. A window that is still broken after
 * {@code attempts} reads fails the read with an {@link IOException}; the stream never ends early
 * without saying so. Which version a window comes from is the {@link Windows}' business (pinned by
 * version id or If-Match), so every window is of the same object.
 */
final class RangedObjectStream extends InputStream {

  /** One window as read: its bytes and the object's total length (from Content-Range). */
  @SuppressWarnings("ArrayRecordComponent") // handed over once, never mutated after reading
  record Window(byte[] bytes, long objectLength) {}

  /** Reads bytes {@code from}..{@code toInclusive} of the pinned object. */
  interface Windows {
    Window read(long from, long toInclusive) throws IOException;
  }

  private final Windows windows;
  private final int windowBytes;
  private final int attempts;
  private byte[] buffer;
  private int position;
  private long nextWindowStart;
  private long objectLength;

  /**
   * @param first the first window, already read (so the opening request's errors, such as the
   *     object having changed, surface at open)
   */
  RangedObjectStream(Windows windows, Window first, int windowBytes, int attempts) {
    this.windows = Objects.requireNonNull(windows, "windows");
    if (windowBytes < 1 || attempts < 1) {
      throw new IllegalArgumentException("windowBytes and attempts must be positive");
    }
    this.windowBytes = windowBytes;
    this.attempts = attempts;
    this.buffer = first.bytes();
    this.objectLength = first.objectLength();
    this.nextWindowStart = first.bytes().length;
  }

  /** Reads a window, retrying a broken or short read; the first window uses the same rule. */
  static Window readWindow(Windows windows, long from, int windowBytes, int attempts)
      throws IOException {
    IOException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        Window w = windows.read(from, from + windowBytes - 1);
        long expected = Math.min(windowBytes, Math.max(0, w.objectLength() - from));
        if (w.bytes().length == expected) {
          return w;
        }
        last =
            new IOException(
                "short read: window at byte "
                    + from
                    + " gave "
                    + w.bytes().length
                    + " of "
                    + expected
                    + " bytes");
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IOException("object read failed after " + attempts + " attempts", last);
  }

  private boolean fill() throws IOException {
    while (position >= buffer.length) {
      if (nextWindowStart >= objectLength) {
        return false;
      }
      Window w = readWindow(windows, nextWindowStart, windowBytes, attempts);
      if (w.objectLength() != objectLength) {
        throw new IOException("object length changed between windows");
      }
      buffer = w.bytes();
      position = 0;
      nextWindowStart += buffer.length;
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, buffer.length - position);
    System.arraycopy(buffer, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return buffer.length - position;
  }

  @Override
  public void close() {
    buffer = new byte[0];
    position = 0;
    objectLength = 0;
  }
}
