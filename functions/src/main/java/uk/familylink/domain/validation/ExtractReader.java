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
 * mark, decodes strictly as UTF-8 and enforces the streaming limits on the CSV structure (cell
 * length, cells a line, line length) before the parser buffers anything.
 *
 * <p><b>Position order.</b> Every problem is raised when reading reaches the byte or character that
 * causes it, after every character before it has been handed to the parser: the first problem in
 * the file wins, and the parser is inside the record that holds it, so the validator can name its
 * row. Nothing depends on how many bytes one read of the underlying stream returns, so the same
 * bytes always give the same outcome (pass 1 and pass 2 of ingest, and the local {@code validate}
 * command, agree). The CSV limits are counted here, character by character, rather than left to the
 * parser's buffer, whose overflow point moves with the read sizes.
 *
 * <p>Errors are {@link Stop}s carrying a reason code only, never any content. After a stop, {@link
 * #drain()} reads the rest of the stream (counting and hashing only, up to the size limit) so that
 * a rejected file's byte count and hash cover the whole file.
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
  private final int maxFieldChars;
  private final int maxFields;
  private final int maxRecordChars;
  private final MessageDigest sha256;
  private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES);
  private long count;
  private boolean started;
  private boolean eof;
  private Stop pending;

  /**
   * Why the byte just past the buffered ones cannot be read (binary content, past the size limit),
   * or null. Raised once decoding reaches it.
   */
  private ReasonCode ahead;

  // the CSV structure seen so far (RFC 4180: ',' separates, '"' quotes, CR or LF ends a record)
  private boolean inQuotes;
  private boolean quoteInQuotes;
  private boolean fieldStart = true;
  private int fieldChars;
  private int fields = 1;
  private int recordChars;

  /** The last decode stopped at a supplementary character with one char of room. */
  private boolean noRoom;

  /** A reader without CSV structure limits (for tests of the byte level). */
  ExtractReader(InputStream in, long maxBytes) {
    this(in, maxBytes, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /**
   * @param maxFieldChars a cell longer than this stops reading (FIELD_TOO_LONG)
   * @param maxFields a record with more cells stops reading (TOO_MANY_FIELDS)
   * @param maxRecordChars a record longer than this stops reading (ROW_TOO_LONG)
   */
  ExtractReader(
      InputStream in, long maxBytes, int maxFieldChars, int maxFields, int maxRecordChars) {
    this.in = in;
    this.maxBytes = maxBytes;
    this.maxFieldChars = maxFieldChars;
    this.maxFields = maxFields;
    this.maxRecordChars = maxRecordChars;
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

  /**
   * Whether every byte of the stream was read (false when reading stopped at the size limit: the
   * file then has at least {@link #bytesRead()} bytes).
   */
  boolean readToEnd() {
    return eof && ahead != ReasonCode.FILE_TOO_LARGE;
  }

  /**
   * Reads what is left of the stream, only counting and hashing it (no decoding, no checks), and
   * stops past the size limit. Called once validation has stopped, so a rejected file's report
   * gives the bytes and hash of the whole file, not of the part that happened to be read.
   */
  void drain() throws IOException {
    if (ahead == ReasonCode.FILE_TOO_LARGE) {
      return;
    }
    byte[] scratch = new byte[BUFFER_BYTES];
    while (!eof) {
      int want = (int) Math.min(scratch.length, headroom());
      int n = in.read(scratch, 0, want);
      if (n < 0) {
        eof = true;
      } else {
        count += n;
        sha256.update(scratch, 0, n);
        if (count > maxBytes) {
          ahead = ReasonCode.FILE_TOO_LARGE;
          return;
        }
      }
    }
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
      int n = scan(cbuf, off, decode(cbuf, off, len));
      if (n > 0) {
        return n; // an error found after these characters is raised by the next read
      }
      if (pending != null) {
        throw pending;
      }
      if (noRoom) {
        throw new IOException("read buffer too small for one character");
      }
      if (ahead != null) {
        pending = new Stop(ahead);
        throw pending;
      }
      if (eof) {
        return -1;
      }
      fill();
    }
  }

  /**
   * Follows the CSV structure over the {@code n} characters just decoded into {@code cbuf} and
   * returns how many of them may be handed on: all of them, or those before the first character
   * that breaks a limit (then {@link #pending} is set).
   */
  private int scan(char[] cbuf, int off, int n) {
    int end = off + n;
    for (int i = off; i < end; i++) {
      char ch = cbuf[i];
      if (++recordChars > maxRecordChars) {
        return stopAt(ReasonCode.ROW_TOO_LONG, i, off);
      }
      if (inQuotes) {
        if (quoteInQuotes) {
          quoteInQuotes = false;
          if (ch == '"') {
            if (++fieldChars > maxFieldChars) { // an escaped quote
              return stopAt(ReasonCode.FIELD_TOO_LONG, i, off);
            }
            continue;
          }
          inQuotes = false; // the quote closed the field; this character follows it
        } else {
          if (ch == '"') {
            quoteInQuotes = true;
          } else if (++fieldChars > maxFieldChars) {
            return stopAt(ReasonCode.FIELD_TOO_LONG, i, off);
          }
          continue;
        }
      }
      if (ch == ',') {
        if (++fields > maxFields) {
          return stopAt(ReasonCode.TOO_MANY_FIELDS, i, off);
        }
        fieldChars = 0;
        fieldStart = true;
      } else if (ch == '\n' || ch == '\r') {
        fields = 1;
        fieldChars = 0;
        recordChars = 0;
        fieldStart = true;
      } else if (ch == '"' && fieldStart) {
        inQuotes = true;
        fieldStart = false;
      } else {
        fieldStart = false;
        if (++fieldChars > maxFieldChars) {
          return stopAt(ReasonCode.FIELD_TOO_LONG, i, off);
        }
      }
    }
    return n;
  }

  private int stopAt(ReasonCode reason, int at, int off) {
    pending = new Stop(reason);
    return at - off;
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
    if ((eof || ahead != null) && pending == null && sp < sl && dp < dl && !needRoom) {
      // the input ends inside a sequence, or the byte that would continue it is unreadable
      pending = new Stop(ReasonCode.NOT_UTF8);
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
    while (!eof && ahead == null && bytes.remaining() < 3) {
      fill();
    }
    int n = bytes.remaining();
    int p = bytes.position();
    byte[] a = bytes.array();
    if (n >= 2
        && ((a[p] == (byte) 0xFF && a[p + 1] == (byte) 0xFE)
            || (a[p] == (byte) 0xFE && a[p + 1] == (byte) 0xFF))) {
      pending = new Stop(ReasonCode.NOT_UTF8); // UTF-16 text
      throw pending;
    }
    if (n >= 3 && a[p] == (byte) 0xEF && a[p + 1] == (byte) 0xBB && a[p + 2] == (byte) 0xBF) {
      bytes.position(p + 3);
    }
  }

  /**
   * Reads more bytes into the buffer. Never reads past the size limit plus one byte, so a file over
   * the limit always stops at the same byte; a byte that cannot be text, and everything after it,
   * is kept out of the buffer ({@link #ahead} says why).
   */
  /** Bytes that may still be read: up to the size limit plus the one byte that shows it passed. */
  private long headroom() {
    long room = maxBytes - count;
    return room == Long.MAX_VALUE ? room : room + 1;
  }

  private void fill() throws IOException {
    if (ahead != null) {
      return;
    }
    bytes.compact();
    int n;
    int want = (int) Math.min(bytes.remaining(), headroom());
    do {
      n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), want);
    } while (n == 0);
    if (n < 0) {
      eof = true;
    } else {
      int usable = inspect(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
      bytes.position(bytes.position() + usable);
    }
    bytes.flip();
  }

  /** Counts and hashes {@code n} new bytes; returns how many of them are usable text bytes. */
  private int inspect(byte[] a, int off, int n) {
    long start = count;
    count += n;
    sha256.update(a, off, n);
    int usable = n;
    if (count > maxBytes) {
      ahead = ReasonCode.FILE_TOO_LARGE; // only the one byte past the limit was read
      usable = n - 1;
    }
    int bad = firstBinaryByte(a, off, usable, start);
    if (bad >= 0) {
      ahead = ReasonCode.BINARY_CONTENT;
      usable = bad - off;
    }
    return usable;
  }

  /** The index of the first byte in a[off, off + n) that marks binary content, or -1. */
  private static int firstBinaryByte(byte[] a, int off, int n, long start) {
    int end = off + n;
    int i = off;
    if (start < BINARY_SNIFF_BYTES) {
      int sniffEnd = (int) Math.min(end, off + (BINARY_SNIFF_BYTES - start));
      for (; i < sniffEnd; i++) {
        int b = a[i];
        // C0 controls other than TAB, LF, FF, CR (and NUL) mark binary formats
        if (b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\f' && b != '\r') {
          return i;
        }
      }
    }
    // eight bytes at a time: (v - 0x01..) & ~v & 0x80.. is non-zero exactly when v has a zero byte
    for (; i + 8 <= end; i += 8) {
      long v = (long) LONGS.get(a, i);
      if (((v - 0x0101010101010101L) & ~v & 0x8080808080808080L) != 0) {
        break; // the exact byte is found below
      }
    }
    for (; i < end; i++) {
      if (a[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Leaves the caller's stream open: whoever opened it closes it. */
  @Override
  public void close() {
    // nothing to release
  }
}
