package uk.familylink.domain.pseudonym;

/**
 * Source of working keys derived from the linkage root key. A working key is HMAC-SHA256(root key
 * material, UTF-8 label), exactly what AWS KMS GenerateMac returns for an HMAC_256 key with
 * MacAlgorithm HMAC_SHA_256. Called once per label at cold start; the result lives only in memory.
 */
public interface KeyPort {
  byte[] deriveWorkingKey(String label);
}
