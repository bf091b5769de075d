package uk.familylink.domain.pseudonym;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import uk.familylink.domain.identifier.IdentifierKind;

/**
 * Keyed pseudonyms of normalised identifiers (DESIGN.md section 5): {@code token = base64url(first
 * 16 bytes of HMAC-SHA256(workingKey, UTF8(kindLabel) || 0x1F || UTF8(value)))}, without padding:
 * 22 characters, 128 bits.
 *
 * <p>The kind label provides kind separation (the same digits as an NHS number and as a ULN give
 * different tokens); the 0x1F unit separator cannot occur in a label, so label and value can never
 * be re-split differently. The working key is derived under {@link #TOKEN_LABEL}, whose "v1" is the
 * normalisation version of {@link uk.familylink.domain.identifier.Identifiers}.
 *
 * <p>Not thread-safe: one instance reuses its digests and buffers. Use one per thread, e.g. {@link
 * WorkingKeys#tokeniser()}.
 *
 * <p>Speed: this runs for every identifier of every row. HMAC (RFC 2104) is {@code SHA256((K xor
 * opad) || SHA256((K xor ipad) || m))}; {@link Mac} re-hashes both 64-byte pad blocks on every
 * call, i.e. four SHA-256 compressions for a short identifier where two depend on the message. We
 * hash the pad blocks once and clone those SHA-256 mid-states per call, which measured about 1.6
 * times faster than a reused {@code Mac} here (5.7 vs 3.5 million a second on one loaded core). The
 * result is ordinary HMAC-SHA256, checked against {@code Mac} in the tests; if the provider's
 * digest cannot be cloned we fall back to a reused {@code Mac}.
 */
public final class Tokeniser {

  /** KMS derivation label of the token working key. */
  public static final String TOKEN_LABEL = "familylink/v1/token";

  /** Bytes of HMAC output kept in a token. */
  public static final int TOKEN_BYTES = 16;

  /** Characters of a token: 16 bytes in unpadded base64url. */
  public static final int TOKEN_LENGTH = 22;

  static final byte SEPARATOR = 0x1F;

  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
          .getBytes(StandardCharsets.US_ASCII);

  /** Distinct labels remembered with their bytes (an ingest uses about seven). */
  private static final int MAX_CACHED_LABELS = 64;

  /** Label instances matched by reference before the map is consulted. */
  private static final int RECENT_LABELS = 8;

  private static final int BLOCK = 64;
  private static final VarHandle BIG_ENDIAN_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** SHA-256 states after absorbing K xor ipad / K xor opad; null when cloning is unsupported. */
  private final MessageDigest innerStart;

  private final MessageDigest outerStart;

  /** Fallback when the digest cannot be cloned. */
  private final Mac mac;

  private byte[] message = new byte[128];
  private final byte[] inner = new byte[32];
  private final byte[] digest = new byte[32];
  private final byte[] text = new byte[TOKEN_LENGTH];
  private final Map<String, byte[]> labels = new HashMap<>();
  private final String[] recentLabels = new String[RECENT_LABELS];
  private final byte[][] recentBytes = new byte[RECENT_LABELS][];
  private int recentCount;
  private int nextRecent;

  /**
   * @param workingKey the 32-byte token working key; copied, not retained.
   */
  public Tokeniser(byte[] workingKey) {
    this(workingKey, false);
  }

  /** {@code useMac} forces the fallback path, so tests can compare both. */
  Tokeniser(byte[] workingKey, boolean useMac) {
    Objects.requireNonNull(workingKey, "workingKey");
    if (workingKey.length != 32) {
      throw new IllegalArgumentException("working key must be 32 bytes, was " + workingKey.length);
    }
    MessageDigest in = null;
    MessageDigest out = null;
    Mac fallback = null;
    byte[] pad = new byte[BLOCK];
    try {
      in = MessageDigest.getInstance("SHA-256");
      out = MessageDigest.getInstance("SHA-256");
      padded(workingKey, (byte) 0x36, pad);
      in.update(pad);
      padded(workingKey, (byte) 0x5c, pad);
      out.update(pad);
      var unused = in.clone(); // probe: the fast path needs cloneable digests
      if (useMac) {
        throw new CloneNotSupportedException("fallback requested");
      }
    } catch (CloneNotSupportedException e) {
      in = null;
      out = null;
      try {
        fallback = Mac.getInstance(ALGORITHM);
        fallback.init(new SecretKeySpec(workingKey, ALGORITHM));
      } catch (GeneralSecurityException noHmac) {
        throw new IllegalStateException("HMAC-SHA256 unavailable", noHmac);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    } finally {
      Arrays.fill(pad, (byte) 0);
    }
    this.innerStart = in;
    this.outerStart = out;
    this.mac = fallback;
  }

  private static void padded(byte[] key, byte pad, byte[] into) {
    for (int i = 0; i < BLOCK; i++) {
      into[i] = (byte) ((i < key.length ? key[i] : 0) ^ pad);
    }
  }

  /** The token of an identifier of {@code kind}; the kind's enum name is its label. */
  public String token(IdentifierKind kind, String normalisedValue) {
    return token(kind.name(), normalisedValue);
  }

  /** The token of {@code normalisedValue} under {@code kindLabel} (which must not contain 0x1F). */
  public String token(String kindLabel, String normalisedValue) {
    if (normalisedValue == null) {
      throw new IllegalArgumentException("kind label and value are required");
    }
    return token(labelBytes(kindLabel), normalisedValue);
  }

  /**
   * The UTF-8 bytes of a label, checked: for callers that tokenise under the same labels row after
   * row.
   */
  static byte[] label(String kindLabel) {
    if (kindLabel == null) {
      throw new IllegalArgumentException("kind label and value are required");
    }
    if (kindLabel.indexOf(SEPARATOR) >= 0) {
      throw new IllegalArgumentException("kind label must not contain the 0x1F separator");
    }
    return kindLabel.getBytes(StandardCharsets.UTF_8);
  }

  /** {@link #token(String, String)} under a label from {@link #label}. */
  String token(byte[] label, String normalisedValue) {
    int n = begin(label);
    n = append(normalisedValue, n);
    return finish(n);
  }

  /**
   * The token of the composite value {@code first|second|third} (or {@code
   * first|second|third|fourth} when {@code fourth} is not null) under a label from {@link #label}:
   * exactly {@code token(kindLabel, first + '|' + second + '|' + third [+ '|' + fourth])}, without
   * building the joined string.
   */
  String token(byte[] label, String first, String second, String third, String fourth) {
    if (first == null || second == null || third == null) {
      throw new IllegalArgumentException("kind label and value are required");
    }
    int n = begin(label);
    n = append(first, n);
    message[n++] = '|'; // append always leaves one spare byte
    n = append(second, n);
    message[n++] = '|';
    n = append(third, n);
    if (fourth != null) {
      message[n++] = '|';
      n = append(fourth, n);
    }
    return finish(n);
  }

  /** Writes label 0x1F at the start of the message; returns the next free index. */
  private int begin(byte[] label) {
    int n = label.length;
    ensure(n + 1);
    System.arraycopy(label, 0, message, 0, n);
    message[n++] = SEPARATOR;
    return n;
  }

  /**
   * The UTF-8 bytes of a label, checked once: labels are a handful of constants (kind names and a
   * dataset's record-reference label), so the last one and a small map are enough.
   */
  @SuppressWarnings("ReferenceEquality") // identity first on purpose; equals() follows below
  private byte[] labelBytes(String kindLabel) {
    // the same label instances come back row after row: compare references before hashing
    for (int i = 0; i < recentCount; i++) {
      if (recentLabels[i] == kindLabel) {
        return recentBytes[i];
      }
    }
    if (kindLabel == null) {
      throw new IllegalArgumentException("kind label and value are required");
    }
    byte[] b = labels.get(kindLabel);
    if (b == null) {
      b = label(kindLabel);
      if (labels.size() < MAX_CACHED_LABELS) {
        labels.put(kindLabel, b);
      }
    }
    int slot = recentCount < RECENT_LABELS ? recentCount++ : nextRecent;
    nextRecent = (nextRecent + 1) % RECENT_LABELS;
    recentLabels[slot] = kindLabel;
    recentBytes[slot] = b;
    return b;
  }

  /** HMAC of message[0, n) and its token. */
  private String finish(int n) {
    try {
      if (innerStart != null) {
        MessageDigest in = (MessageDigest) innerStart.clone();
        in.update(message, 0, n);
        in.digest(inner, 0, 32);
        MessageDigest out = (MessageDigest) outerStart.clone();
        out.update(inner, 0, 32);
        out.digest(digest, 0, 32);
      } else {
        mac.update(message, 0, n);
        mac.doFinal(digest, 0);
      }
    } catch (CloneNotSupportedException | DigestException | ShortBufferException e) {
      throw new IllegalStateException("HMAC computation failed", e);
    }
    return encode();
  }

  /**
   * Writes the UTF-8 bytes of {@code s} at {@code at} and returns the next free index, keeping one
   * spare byte. ASCII is copied directly; anything else goes through the UTF-8 encoder.
   */
  private int append(String s, int at) {
    int len = s.length();
    ensure(at + len + 1);
    byte[] m = message;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ensure(at + utf8.length + 1);
        System.arraycopy(utf8, 0, message, at, utf8.length);
        return at + utf8.length;
      }
      m[at + i] = (byte) c;
    }
    return at + len;
  }

  private void ensure(int capacity) {
    if (capacity > message.length) {
      byte[] bigger = new byte[Math.max(capacity, message.length * 2)];
      System.arraycopy(message, 0, bigger, 0, message.length);
      message = bigger;
    }
  }

  /**
   * Unpadded base64url of the first 16 digest bytes: 21 whole 6-bit groups of the 128 bits, then 2
   * bits.
   */
  private String encode() {
    long hi = (long) BIG_ENDIAN_LONGS.get(digest, 0);
    long lo = (long) BIG_ENDIAN_LONGS.get(digest, 8);
    byte[] t = text;
    for (int i = 0; i < 10; i++) {
      t[i] = BASE64URL[(int) (hi >>> (58 - 6 * i)) & 0x3F];
    }
    t[10] = BASE64URL[(int) (((hi & 0xF) << 2) | (lo >>> 62))];
    for (int i = 0; i < 10; i++) {
      t[11 + i] = BASE64URL[(int) (lo >>> (56 - 6 * i)) & 0x3F];
    }
    t[21] = BASE64URL[(int) (lo & 0x3) << 4];
    // ASCII bytes: an ISO-8859-1 String is a plain copy of them
    return new String(t, 0, TOKEN_LENGTH, StandardCharsets.ISO_8859_1);
  }
}
