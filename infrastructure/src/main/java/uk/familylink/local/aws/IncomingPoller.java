package uk.familylink.local.aws;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Stands in for S3 event notifications, which s3proxy does not send: lists {@code incoming/} and
 * delivers one ObjectCreated:Put event per object not yet delivered (by key and eTag, so a new
 * upload under the same key is delivered again). Keys that disappeared are forgotten.
 */
public final class IncomingPoller {

  public static final String INCOMING_PREFIX = "incoming/";

  /** The principal events name for uploads made locally. */
  public static final String LOCAL_PRINCIPAL = "AWS:AIDALOCALPARTNER";

  private static final Logger LOG = LoggerFactory.getLogger(IncomingPoller.class);

  private final S3Client s3;
  private final String bucket;
  private final S3Events events;
  private final S3EventSink sink;
  private final Map<String, String> delivered = new ConcurrentHashMap<>();
  private final Map<String, String> inFlight = new ConcurrentHashMap<>();
  private final ExecutorService workers;

  /** Delivers each event on the polling thread, one at a time. */
  public IncomingPoller(S3Client s3, String bucket, S3Events events, S3EventSink sink) {
    this(s3, bucket, events, sink, null);
  }

  /**
   * Delivers events on {@code workers} (several uploads ingested at once, as Lambda would); an
   * upload is never delivered again while its delivery is in flight, and a failed one is delivered
   * again on a later poll.
   *
   * @param workers null to deliver on the polling thread
   */
  public IncomingPoller(
      S3Client s3, String bucket, S3Events events, S3EventSink sink, ExecutorService workers) {
    this.s3 = Objects.requireNonNull(s3);
    this.bucket = Objects.requireNonNull(bucket);
    this.events = Objects.requireNonNull(events);
    this.sink = Objects.requireNonNull(sink);
    this.workers = workers;
  }

  /** Deliveries handed to the workers and not finished yet. */
  public int inFlight() {
    return inFlight.size();
  }

  /**
   * One pass; returns how many events were delivered (with workers: handed over). A failing
   * delivery is logged and retried next pass.
   */
  public int pollOnce() {
    Map<String, String> present = new HashMap<>();
    int count = 0;
    for (S3Object object :
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(INCOMING_PREFIX)).contents()) {
      present.put(object.key(), object.eTag());
      if (object.eTag().equals(delivered.get(object.key()))
          || object.eTag().equals(inFlight.get(object.key()))) {
        continue;
      }
      String event =
          events.objectCreated(bucket, object.key(), object.size(), object.eTag(), LOCAL_PRINCIPAL);
      if (workers == null) {
        count += deliver(object.key(), object.eTag(), event) ? 1 : 0;
      } else {
        inFlight.put(object.key(), object.eTag());
        workers.execute(
            () -> {
              try {
                deliver(object.key(), object.eTag(), event);
              } finally {
                inFlight.remove(object.key(), object.eTag());
              }
            });
        count++;
      }
    }
    delivered.keySet().retainAll(present.keySet());
    return count;
  }

  private boolean deliver(String key, String eTag, String event) {
    try {
      sink.deliver(event);
      delivered.put(key, eTag);
      return true;
    } catch (RuntimeException e) {
      // Keys are file names chosen by the uploader, not personal data; the handler's
      // exceptions carry row numbers and reason codes only.
      LOG.warn(
          "Delivering the event for {} failed ({}); will retry on the next poll",
          key,
          e.toString());
      return false;
    }
  }
}
