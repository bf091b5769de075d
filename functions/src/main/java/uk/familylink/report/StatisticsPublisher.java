package uk.familylink.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import uk.familylink.domain.disclosure.DisclosureControl;
import uk.familylink.domain.disclosure.PublishedRelease;
import uk.familylink.domain.ingest.ObjectStore;
import uk.familylink.domain.statistics.StatisticsRelease;
import uk.familylink.domain.statistics.StatisticsService;
import uk.familylink.domain.statistics.TidyCsv;

/**
 * One statistics run where it is stored: reads the previous release's {@code cells.csv} (for the
 * differencing check), produces and checks the release, and writes its files under {@code
 * statistics/<as-of>/} of the exports bucket, then the new {@code statistics/latest/cells.csv}.
 * Nothing is written when the release is refused.
 */
public final class StatisticsPublisher {

  public static final String PREFIX = "statistics/";
  public static final String LATEST_CELLS = PREFIX + "latest/" + StatisticsFiles.CELLS;

  /** What was published: the as-of date, the object keys, counts of hidden cells. */
  public record Published(String asOf, List<String> keys, int primary, int secondary) {}

  private final StatisticsService service;
  private final DisclosureControl control;
  private final ObjectStore store;
  private final String bucket;

  public StatisticsPublisher(
      StatisticsService service, DisclosureControl control, ObjectStore store, String bucket) {
    this.service = Objects.requireNonNull(service, "service");
    this.control = Objects.requireNonNull(control, "control");
    this.store = Objects.requireNonNull(store, "store");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  /**
   * Publishes one release.
   *
   * @throws uk.familylink.domain.disclosure.UnsafeReleaseException when refused (nothing written)
   */
  public Published publish(String requester) {
    PublishedRelease previous = previous();
    StatisticsRelease release = service.produce(requester, previous);
    Map<String, byte[]> files = StatisticsFiles.of(release, control, previous);
    String folder = PREFIX + release.asOf() + "/";
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      String key = folder + file.getKey();
      store.put(bucket, key, file.getValue(), contentType(file.getKey()));
      keys.add(key);
    }
    store.put(bucket, LATEST_CELLS, files.get(StatisticsFiles.CELLS), "text/csv");
    return new Published(
        release.asOf().toString(),
        keys,
        release.protection().primary().size(),
        release.protection().secondary().size());
  }

  private PublishedRelease previous() {
    Optional<ObjectStore.ObjectInfo> head = store.head(bucket, LATEST_CELLS);
    if (head.isEmpty()) {
      return PublishedRelease.none();
    }
    try (InputStream in = store.open(bucket, LATEST_CELLS, head.get().eTag())) {
      return TidyCsv.readCells(in.readAllBytes(), true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the previous release's cells", e);
    }
  }

  private static String contentType(String name) {
    return name.endsWith(".html") ? "text/html; charset=utf-8" : "text/csv";
  }
}
