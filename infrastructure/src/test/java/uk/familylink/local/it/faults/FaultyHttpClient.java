package uk.familylink.local.it.faults;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import uk.familylink.local.aws.InstrumentedHttpClient;

/**
 * Faults at the SDK's HTTP layer: rules match requests (by DynamoDB operation or S3 method and key)
 * and, from their n-th match on for a number of times, answer with an AWS error response without
 * sending, cut the response body off after some bytes (a stream reset), or run an action before the
 * request is sent (e.g. replace an object).
 */
final class FaultyHttpClient extends InstrumentedHttpClient {

  private final List<Rule> rules = new CopyOnWriteArrayList<>();

  FaultyHttpClient(SdkHttpClient delegate) {
    super(delegate, Duration.ZERO);
  }

  /** A DynamoDB operation, e.g. {@code BatchWriteItem}. */
  static Predicate<SdkHttpRequest> dynamo(String operation) {
    return r ->
        r.firstMatchingHeader("X-Amz-Target").map(t -> t.endsWith("." + operation)).orElse(false);
  }

  /** An S3 request with this method on a key under {@code prefix} (path-style). */
  static Predicate<SdkHttpRequest> s3(String method, String prefix) {
    return r ->
        r.method().name().equals(method)
            && r.encodedPath().matches("/[^/]+/" + java.util.regex.Pattern.quote(prefix) + ".*");
  }

  /** From the {@code from}-th matching request on, {@code times} of them get {@code fault}. */
  Rule add(Predicate<SdkHttpRequest> matches, int from, int times, Fault fault) {
    Rule rule = new Rule(matches, from, times, fault);
    rules.add(rule);
    return rule;
  }

  void clear() {
    rules.clear();
  }

  @Override
  protected HttpExecuteResponse send(HttpExecuteRequest request, ExecutableHttpRequest real)
      throws IOException {
    Fault fault = null;
    for (Rule rule : rules) {
      if (rule.fires(request.httpRequest())) {
        fault = rule.fault;
        break;
      }
    }
    if (fault == null) {
      return real.call();
    }
    return fault.apply(real);
  }

  /** What happens to a matched request. */
  interface Fault {
    HttpExecuteResponse apply(ExecutableHttpRequest real) throws IOException;

    /** An AWS JSON-protocol error (DynamoDB), not sent. */
    static Fault dynamoError(int status, String type) {
      return real ->
          response(
              status,
              "application/x-amz-json-1.0",
              "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
                  + type
                  + "\",\"message\":\"injected\"}");
    }

    /** An S3 XML error, not sent. */
    static Fault s3Error(int status, String code) {
      return real ->
          response(
              status,
              "application/xml",
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                  + code
                  + "</Code><Message>injected</Message><RequestId>FAULT</RequestId></Error>");
    }

    /** Sent; the response body fails after {@code bytes} bytes, as a reset connection does. */
    static Fault resetBodyAfter(int bytes) {
      return real -> {
        HttpExecuteResponse r = real.call();
        InputStream body = r.responseBody().orElseThrow();
        InputStream cut =
            new FilterInputStream(body) {
              private long read;

              @Override
              public int read() throws IOException {
                check();
                int b = super.read();
                read++;
                return b;
              }

              @Override
              public int read(byte[] buf, int off, int len) throws IOException {
                check();
                int n = super.read(buf, off, (int) Math.min(len, Math.max(1, bytes - read)));
                if (n > 0) {
                  read += n;
                }
                return n;
              }

              private void check() throws IOException {
                if (read >= bytes) {
                  throw new IOException("Connection reset (injected)");
                }
              }
            };
        return HttpExecuteResponse.builder()
            .response(r.httpResponse())
            .responseBody(AbortableInputStream.create(cut))
            .build();
      };
    }

    /** Runs {@code action} first, then sends. */
    static Fault before(Runnable action) {
      return real -> {
        action.run();
        return real.call();
      };
    }

    private static HttpExecuteResponse response(int status, String type, String body) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      return HttpExecuteResponse.builder()
          .response(
              SdkHttpResponse.builder()
                  .statusCode(status)
                  .putHeader("Content-Type", type)
                  .putHeader("Content-Length", Integer.toString(bytes.length))
                  .putHeader("x-amzn-RequestId", "FAULT")
                  .build())
          .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
          .build();
    }
  }

  /** A matching rule; counts its matches and how often it fired. */
  static final class Rule {
    private final Predicate<SdkHttpRequest> matches;
    private final int from;
    private final int times;
    private final Fault fault;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger fired = new AtomicInteger();

    Rule(Predicate<SdkHttpRequest> matches, int from, int times, Fault fault) {
      this.matches = matches;
      this.from = from;
      this.times = times;
      this.fault = fault;
    }

    boolean fires(SdkHttpRequest request) {
      if (!matches.test(request)) {
        return false;
      }
      int n = seen.incrementAndGet();
      if (n >= from && fired.get() < times) {
        fired.incrementAndGet();
        return true;
      }
      return false;
    }

    int fired() {
      return fired.get();
    }
  }
}
