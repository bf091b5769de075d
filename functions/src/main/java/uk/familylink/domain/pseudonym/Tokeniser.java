package uk.familylink.domain.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import uk.familylink.domain.identifier.IdentifierKind;

/**
 * Keyed pseudonyms of normalised identifiers (DESIGN.md section 5):
 * {@code token = base64url(first 16 bytes of HMAC-SHA256(workingKey, UTF8(kindLabel) || 0x1F || UTF8(value)))},
 * without padding: 22 characters, 128 bits.
 *
 * <p>The kind label provides kind separation (the same digits as an NHS number and as a ULN give
 * different tokens); the 0x1F unit separator cannot occur in a label, so label and value can never
 * be re-split differently. The working key is derived under {@link #TOKEN_LABEL}, whose "v1" is
 * the normalisation version of {@link uk.familylink.domain.identifier.Identifiers}.
 *
 * <p>Not thread-safe: one instance reuses one {@link Mac} and its buffers. Use one per thread,
 * e.g. {@link WorkingKeys#tokeniser()}.
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
    private static final char[] BASE64URL =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private final Mac mac;
    private byte[] message = new byte[128];
    private final byte[] digest = new byte[32];
    private final char[] text = new char[TOKEN_LENGTH];

    /** @param workingKey the 32-byte token working key; copied, not retained. */
    public Tokeniser(byte[] workingKey) {
        Objects.requireNonNull(workingKey, "workingKey");
        if (workingKey.length != 32) {
            throw new IllegalArgumentException("working key must be 32 bytes, was " + workingKey.length);
        }
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(workingKey, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** The token of an identifier of {@code kind}; the kind's enum name is its label. */
    public String token(IdentifierKind kind, String normalisedValue) {
        return token(kind.name(), normalisedValue);
    }

    /** The token of {@code normalisedValue} under {@code kindLabel} (which must not contain 0x1F). */
    public String token(String kindLabel, String normalisedValue) {
        if (kindLabel == null || normalisedValue == null) {
            throw new IllegalArgumentException("kind label and value are required");
        }
        if (kindLabel.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("kind label must not contain the 0x1F separator");
        }
        int n = append(kindLabel, 0);
        message[n++] = SEPARATOR; // append left room for it
        n = append(normalisedValue, n);
        try {
            mac.update(message, 0, n);
            mac.doFinal(digest, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("HMAC output buffer too small", e);
        }
        return encode();
    }

    /**
     * Writes the UTF-8 bytes of {@code s} at {@code at} and returns the next free index, keeping
     * one spare byte. ASCII is copied directly; anything else goes through the UTF-8 encoder.
     */
    private int append(String s, int at) {
        int len = s.length();
        ensure(at + len + 1);
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                ensure(at + utf8.length + 1);
                System.arraycopy(utf8, 0, message, at, utf8.length);
                return at + utf8.length;
            }
            message[at + i] = (byte) c;
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

    /** Unpadded base64url of the first 16 digest bytes: five 3-byte groups, then one byte. */
    private String encode() {
        int t = 0;
        for (int i = 0; i < 15; i += 3) {
            int bits = (digest[i] & 0xFF) << 16 | (digest[i + 1] & 0xFF) << 8 | (digest[i + 2] & 0xFF);
            text[t++] = BASE64URL[bits >>> 18];
            text[t++] = BASE64URL[(bits >>> 12) & 0x3F];
            text[t++] = BASE64URL[(bits >>> 6) & 0x3F];
            text[t++] = BASE64URL[bits & 0x3F];
        }
        int last = digest[15] & 0xFF;
        text[t++] = BASE64URL[last >>> 2];
        text[t] = BASE64URL[(last & 0x03) << 4];
        return new String(text);
    }
}
