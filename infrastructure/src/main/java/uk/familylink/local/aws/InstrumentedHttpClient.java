package uk.familylink.local.aws;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * An {@link SdkHttpClient} decorator at the SDK's HTTP layer: delays every call by a fixed latency
 * (standing in for the round trip to a real AWS endpoint), and counts calls and the peak number in
 * flight at once. Used by {@code bench store --latency-ms} and the fault-injection tests.
 */
public class InstrumentedHttpClient implements SdkHttpClient {

  private final SdkHttpClient delegate;
  private final long latencyNanos;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();

  public InstrumentedHttpClient(SdkHttpClient delegate, Duration latency) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.latencyNanos = latency.toNanos();
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    HttpExecuteRequest forwarded = beforeSend(request);
    ExecutableHttpRequest real = delegate.prepareRequest(forwarded);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        calls.incrementAndGet();
        int now = inFlight.incrementAndGet();
        peakInFlight.accumulateAndGet(now, Math::max);
        try {
          if (latencyNanos > 0) {
            sleepNanos(latencyNanos);
          }
          return afterReceive(request, send(request, real));
        } finally {
          inFlight.decrementAndGet();
        }
      }

      @Override
      public void abort() {
        real.abort();
      }
    };
  }

  /** Hook for decorators: the request as it will be sent. */
  protected HttpExecuteRequest beforeSend(HttpExecuteRequest request) {
    return request;
  }

  /** Hook for decorators: sends the request (or answers it without sending). */
  protected HttpExecuteResponse send(HttpExecuteRequest request, ExecutableHttpRequest real)
      throws IOException {
    return real.call();
  }

  /** Hook for decorators: the response as the SDK will see it. */
  protected HttpExecuteResponse afterReceive(
      HttpExecuteRequest request, HttpExecuteResponse response) {
    return response;
  }

  private static void sleepNanos(long nanos) throws IOException {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during simulated latency");
    }
  }

  public long calls() {
    return calls.get();
  }

  public int peakInFlight() {
    return peakInFlight.get();
  }

  public void resetCounts() {
    calls.set(0);
    peakInFlight.set(inFlight.get());
  }

  @Override
  public String clientName() {
    return "Instrumented(" + delegate.clientName() + ")";
  }

  @Override
  public void close() {
    delegate.close();
  }
}
