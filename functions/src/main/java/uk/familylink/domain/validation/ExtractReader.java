package uk.familylink.domain.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The byte-level guard in front of the CSV parser: counts bytes (stopping past the size limit),
 * hashes them (SHA-256 of exactly the bytes read), rejects binary content, drops a UTF-8 byte
 * order mark and decodes strictly as UTF-8.
 *
 * <p>A decoding error is raised only after every character before the bad byte has been handed to
 * the parser, so the parser is inside the record that holds the bad byte and the validator can name
 * its row. Errors are {@link Stop}s carrying a reason code only, never any content.
 */
final class ExtractReader extends Reader {

    /** Binary signatures (zip/xlsx, PDF, images) show control bytes early; text does not. */
    static final int BINARY_SNIFF_BYTES = 8192;
    private static final int BUFFER_BYTES = 64 * 1024;

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
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES);
    private long count;
    private boolean started;
    private boolean eof;
    private Stop pending;

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
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            CoderResult result = decoder.decode(bytes, out, eof);
            if (result.isError()) {
                pending = new Stop(ReasonCode.NOT_UTF8);
                break;
            }
            if (out.position() > off || result.isOverflow()) {
                break;
            }
            if (eof) {
                return -1;
            }
            fill();
        }
        int n = out.position() - off;
        if (n == 0) {
            throw pending != null ? pending : new IOException("read buffer too small for one character");
        }
        return n;
    }

    /** Reads the first bytes: rejects UTF-16 text (a frequent "Unicode text" export) and skips a UTF-8 BOM. */
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
        if (start == 0 && n >= 2 && ((a[off] == (byte) 0xFF && a[off + 1] == (byte) 0xFE)
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
