package uk.familylink.domain.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The byte-level guard in front of the CSV parser: counts bytes (stopping past the size limit),
 * hashes them (SHA-256 of exactly the bytes read), rejects binary content, drops a UTF-8 byte order
 * mark and decodes strictly as UTF-8.
 *
 * <p>A decoding error is raised only after every character before the bad byte has been handed to
 * the parser, so the parser is inside the record that holds the bad byte and the validator can name
 * its row. Errors are {@link Stop}s carrying a reason code only, never any content.
 */
final class ExtractReader extends Reader {

  /** Binary signatures (zip/xlsx, PDF, images) show control bytes early; text does not. */
  static final int BINARY_SNIFF_BYTES = 8192;

  private static final int BUFFER_BYTES = 64 * 1024;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Stops reading the extract for a structural reason; carries no content and no stack trace. */
  static final class Stop extends IOException {
    private static final long serialVersionUID = 1L;
    final transient ReasonCode reason;

    Stop(ReasonCode reason) {
      super(reason.name());
      this.reason = reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private final InputStream in;
  private final long maxBytes;
  private final MessageDigest sha256;
  private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES);
  private long count;
  private boolean started;
  private boolean eof;
  private Stop pending;

  /** The last decode stopped at a supplementary character with one char of room. */
  private boolean noRoom;

  ExtractReader(InputStream in, long maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
    bytes.limit(0);
  }

  long bytesRead() {
    return count;
  }

  /** Hex SHA-256 of the bytes read so far (call once, after reading). */
  String sha256Hex() {
    byte[] d = sha256.digest();
    char[] hex = new char[d.length * 2];
    final String digits = "0123456789abcdef";
    for (int i = 0; i < d.length; i++) {
      hex[2 * i] = digits.charAt((d[i] >> 4) & 0xF);
      hex[2 * i + 1] = digits.charAt(d[i] & 0xF);
    }
    return new String(hex);
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pending != null) {
      throw pending;
    }
    if (!started) {
      start();
    }
    while (true) {
      int n = decode(cbuf, off, len);
      if (n > 0) {
        return n; // an error found after these characters is raised by the next read
      }
      if (pending != null) {
        throw pending;
      }
      if (noRoom) {
        throw new IOException("read buffer too small for one character");
      }
      if (eof) {
        return -1;
      }
      fill();
    }
  }

  /**
   * Strict UTF-8 decoding of the buffered bytes into {@code cbuf}, as the JDK decoder with REPORT
   * actions does it (no overlong forms, no surrogates, nothing above U+10FFFF, no truncated
   * sequence at the end of the input), but with a tight loop for ASCII runs: the JDK's decoder only
   * takes its fast path until the first non-ASCII byte of each call, and partner files have
   * accented names throughout. Stops before a malformed sequence (setting {@link #pending}), before
   * a sequence that continues in bytes not yet read, or when {@code cbuf} is full; returns the
   * characters written.
   */
  private int decode(char[] cbuf, int off, int len) {
    byte[] a = bytes.array();
    int sp = bytes.arrayOffset() + bytes.position();
    int sl = bytes.arrayOffset() + bytes.limit();
    int dp = off;
    int dl = off + len;
    boolean needRoom = false;
    outer:
    while (dp < dl && sp < sl) {
      int ascii = sp + Math.min(dl - dp, sl - sp);
      int b;
      while (sp < ascii && (b = a[sp]) >= 0) {
        cbuf[dp++] = (char) b;
        sp++;
      }
      if (sp == ascii) {
        continue;
      }
      int b1 = a[sp] & 0xFF;
      int avail = sl - sp;
      if (b1 >= 0xC2 && b1 <= 0xDF) {
        if (avail < 2) {
          break;
        }
        int b2 = a[sp + 1];
        if ((b2 & 0xC0) != 0x80) {
          pending = new Stop(ReasonCode.NOT_UTF8);
          break;
        }
        cbuf[dp++] = (char) (((b1 & 0x1F) << 6) | (b2 & 0x3F));
        sp += 2;
      } else if (b1 >= 0xE0 && b1 <= 0xEF) {
        if (avail >= 2) {
          int b2 = a[sp + 1] & 0xFF;
          if ((b2 & 0xC0) != 0x80 || (b1 == 0xE0 && b2 < 0xA0) || (b1 == 0xED && b2 > 0x9F)) {
            pending = new Stop(ReasonCode.NOT_UTF8);
            break;
          }
          if (avail >= 3) {
            int b3 = a[sp + 2];
            if ((b3 & 0xC0) != 0x80) {
              pending = new Stop(ReasonCode.NOT_UTF8);
              break;
            }
            cbuf[dp++] = (char) (((b1 & 0x0F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F));
            sp += 3;
            continue;
          }
        }
        break;
      } else if (b1 >= 0xF0 && b1 <= 0xF4) {
        if (avail >= 2) {
          int b2 = a[sp + 1] & 0xFF;
          if ((b2 & 0xC0) != 0x80 || (b1 == 0xF0 && b2 < 0x90) || (b1 == 0xF4 && b2 > 0x8F)) {
            pending = new Stop(ReasonCode.NOT_UTF8);
            break;
          }
          for (int k = 2; k < 4 && k < avail; k++) {
            if ((a[sp + k] & 0xC0) != 0x80) {
              pending = new Stop(ReasonCode.NOT_UTF8);
              break outer;
            }
          }
          if (avail >= 4) {
            if (dl - dp < 2) {
              needRoom = true;
              break;
            }
            int cp =
                ((b1 & 0x07) << 18)
                    | ((b2 & 0x3F) << 12)
                    | ((a[sp + 2] & 0x3F) << 6)
                    | (a[sp + 3] & 0x3F);
            cbuf[dp++] = Character.highSurrogate(cp);
            cbuf[dp++] = Character.lowSurrogate(cp);
            sp += 4;
            continue;
          }
        }
        break;
      } else {
        pending = new Stop(ReasonCode.NOT_UTF8); // a continuation byte, C0/C1 or F5..FF
        break;
      }
    }
    noRoom = needRoom && dp == off;
    if (eof && pending == null && sp < sl && dp < dl && !needRoom) {
      pending = new Stop(ReasonCode.NOT_UTF8); // the input ends inside a sequence
    }
    bytes.position(sp - bytes.arrayOffset());
    return dp - off;
  }

  /**
   * Reads the first bytes: rejects UTF-16 text (a frequent "Unicode text" export) and skips a UTF-8
   * BOM.
   */
  private void start() throws IOException {
    started = true;
    while (!eof && bytes.remaining() < 3) {
      fill();
    }
    int n = bytes.remaining();
    int p = bytes.position();
    byte[] a = bytes.array();
    if (n >= 3 && a[p] == (byte) 0xEF && a[p + 1] == (byte) 0xBB && a[p + 2] == (byte) 0xBF) {
      bytes.position(p + 3);
    }
  }

  private void fill() throws IOException {
    bytes.compact();
    int n;
    do {
      n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    } while (n == 0);
    if (n < 0) {
      eof = true;
    } else {
      inspect(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
      bytes.position(bytes.position() + n);
    }
    bytes.flip();
  }

  private void inspect(byte[] a, int off, int n) throws Stop {
    long start = count;
    count += n;
    sha256.update(a, off, n);
    if (count > maxBytes) {
      throw new Stop(ReasonCode.FILE_TOO_LARGE);
    }
    if (start == 0
        && n >= 2
        && ((a[off] == (byte) 0xFF && a[off + 1] == (byte) 0xFE)
            || (a[off] == (byte) 0xFE && a[off + 1] == (byte) 0xFF))) {
      throw new Stop(ReasonCode.NOT_UTF8);
    }
    int end = off + n;
    int i = off;
    if (start < BINARY_SNIFF_BYTES) {
      int sniffEnd = (int) Math.min(end, off + (BINARY_SNIFF_BYTES - start));
      for (; i < sniffEnd; i++) {
        int b = a[i];
        // C0 controls other than TAB, LF, FF, CR (and NUL) mark binary formats
        if (b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\f' && b != '\r') {
          throw new Stop(ReasonCode.BINARY_CONTENT);
        }
      }
    }
    // eight bytes at a time: (v - 0x01..) & ~v & 0x80.. is non-zero exactly when v has a zero byte
    for (; i + 8 <= end; i += 8) {
      long v = (long) LONGS.get(a, i);
      if (((v - 0x0101010101010101L) & ~v & 0x8080808080808080L) != 0) {
        throw new Stop(ReasonCode.BINARY_CONTENT);
      }
    }
    for (; i < end; i++) {
      if (a[i] == 0) {
        throw new Stop(ReasonCode.BINARY_CONTENT);
      }
    }
  }

  /** Leaves the caller's stream open: whoever opened it closes it. */
  @Override
  public void close() {
    // nothing to release
  }
}
