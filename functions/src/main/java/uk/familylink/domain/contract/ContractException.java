package uk.familylink.domain.contract;

/**
 * A dataset contract is invalid or cannot be loaded. Messages name the contract file and the
 * offending setting; contracts are configuration, never partner data.
 */
public class ContractException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContractException(String message) {
    super(message);
  }

  public ContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
