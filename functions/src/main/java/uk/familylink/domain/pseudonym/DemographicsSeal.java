package uk.familylink.domain.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import uk.familylink.domain.linkage.Demographics;
import uk.familylink.domain.linkage.EncodingSeal;

/**
 * AES-256-GCM over the encodings, with the 96-bit IV = HMAC-SHA256(ivKey, plaintext) (synthetic IV:
 * an IV repeats only with its plaintext, so deterministic yet never two plaintexts under one IV).
 * Both keys are derived in memory from the bloom working key (HMAC under "seal/aes" and "seal/iv"),
 * never stored. Not thread-safe.
 */
public final class DemographicsSeal implements EncodingSeal {

  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec aesKey;
  private final Mac ivMac;
  private final Cipher cipher;

  public DemographicsSeal(byte[] bloomKey) {
    try {
      Mac derive = Mac.getInstance("HmacSHA256");
      derive.init(new SecretKeySpec(bloomKey, "HmacSHA256"));
      byte[] aes = derive.doFinal("seal/aes".getBytes(StandardCharsets.UTF_8));
      byte[] iv = derive.doFinal("seal/iv".getBytes(StandardCharsets.UTF_8));
      aesKey = new SecretKeySpec(aes, "AES");
      ivMac = Mac.getInstance("HmacSHA256");
      ivMac.init(new SecretKeySpec(iv, "HmacSHA256"));
      Arrays.fill(aes, (byte) 0);
      Arrays.fill(iv, (byte) 0);
      cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM or HMAC-SHA256 unavailable", e);
    }
  }

  @Override
  public byte[] seal(Demographics demographics) {
    byte[] plain = demographics.toBytes();
    byte[] iv = Arrays.copyOf(ivMac.doFinal(plain), IV_BYTES);
    try {
      // a fresh cipher: the provider refuses a repeated (key, IV) on one instance, and with a
      // synthetic IV the same encodings sealed twice repeat it (harmlessly: same plaintext)
      Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
      encrypt.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, iv));
      byte[] body = encrypt.doFinal(plain);
      byte[] out = new byte[IV_BYTES + body.length];
      System.arraycopy(iv, 0, out, 0, IV_BYTES);
      System.arraycopy(body, 0, out, IV_BYTES, body.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed", e);
    }
  }

  @Override
  public Demographics open(byte[] sealed) {
    if (sealed == null || sealed.length <= IV_BYTES) {
      throw new IllegalArgumentException("not a sealed encoding");
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
      return Demographics.fromBytes(cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("encoding not sealed under this key");
    }
  }
}
