package uk.familylink.adapter.aws;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GenerateMacResponse;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import uk.familylink.domain.pseudonym.KeyPort;

/**
 * Working keys from the KMS HMAC root key: {@code GenerateMac(root, UTF-8(label), HMAC_SHA_256)},
 * i.e. HMAC-SHA256(root material, label) computed inside KMS. The root material never leaves KMS.
 */
public final class KmsKeyPort implements KeyPort {

  private static final int KEY_BYTES = 32;

  private final KmsClient kms;
  private final String rootKeyId;

  public KmsKeyPort(KmsClient kms, String rootKeyId) {
    this.kms = Objects.requireNonNull(kms, "kms");
    this.rootKeyId = Objects.requireNonNull(rootKeyId, "rootKeyId");
  }

  /** Derivation failed; the message names the KMS error code only (never the key or label). */
  public static final class KeyDerivationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyDerivationException(String message) {
      super(message);
    }
  }

  @Override
  public byte[] deriveWorkingKey(String label) {
    Objects.requireNonNull(label, "label");
    GenerateMacResponse response;
    try {
      response =
          kms.generateMac(
              b ->
                  b.keyId(rootKeyId)
                      .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)
                      .message(SdkBytes.fromString(label, StandardCharsets.UTF_8)));
    } catch (SdkException e) {
      throw new KeyDerivationException(
          "working key derivation failed: "
              + AwsAdapterException.of("KMS GenerateMac", e).getMessage());
    }
    byte[] mac = response.mac() == null ? null : response.mac().asByteArray();
    if (mac == null || mac.length != KEY_BYTES) {
      throw new KeyDerivationException(
          "working key derivation failed: KMS GenerateMac returned "
              + (mac == null ? "no MAC" : mac.length + " bytes instead of " + KEY_BYTES));
    }
    return mac;
  }
}
