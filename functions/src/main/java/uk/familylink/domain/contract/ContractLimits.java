package uk.familylink.domain.contract;

/**
 * Optional per-dataset overrides of the validation policy's limits; a null field keeps the policy's
 * value.
 */
public record ContractLimits(
    Long maxBytes, Long maxRows, Integer maxFieldLength, Double maxInvalidShare) {

  public static final ContractLimits NONE = new ContractLimits(null, null, null, null);
}
