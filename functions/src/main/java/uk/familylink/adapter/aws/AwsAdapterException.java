package uk.familylink.adapter.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A failed AWS call, described only by operation, service error code, HTTP status and request id.
 * The SDK exception is deliberately NOT kept as the cause: service messages can echo request
 * content (keys, attribute values), and P1 forbids such values in logs and exception messages.
 */
public class AwsAdapterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String errorCode;
  private final int statusCode;

  public AwsAdapterException(String message, String errorCode, int statusCode) {
    super(message);
    this.errorCode = errorCode;
    this.statusCode = statusCode;
  }

  /** Wraps an SDK failure into a message that carries no request content. */
  public static AwsAdapterException of(String operation, SdkException e) {
    if (e instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      return new AwsAdapterException(
          operation
              + " failed: "
              + code
              + " (HTTP "
              + service.statusCode()
              + ", requestId "
              + service.requestId()
              + ")",
          code,
          service.statusCode());
    }
    return new AwsAdapterException(
        operation
            + " failed: "
            + e.getClass().getSimpleName()
            + (e.retryable() ? " (retryable)" : ""),
        e.getClass().getSimpleName(),
        0);
  }

  /** The AWS error code (e.g. {@code ThrottlingException}) or the client exception's class name. */
  public String errorCode() {
    return errorCode;
  }

  /** HTTP status of the service response, 0 when none was received. */
  public int statusCode() {
    return statusCode;
  }
}
