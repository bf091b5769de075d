package uk.familylink.domain.release;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A research release ready to write: one row per person (columns named in {@link #columns()}), and
 * its manifest. Holds only the release's own pseudonyms and coarse values.
 *
 * @param generalised rows whose first-seen month was coarsened to the year (or removed) to reach k
 * @param withheld rows left out because even generalised their class was smaller than k
 */
public record ResearchExtract(
    ReleaseRequest request,
    List<String> columns,
    List<String> quasiIdentifiers,
    List<Map<String, String>> rows,
    long generalised,
    long withheld,
    Instant createdAt,
    LocalDate expiresOn) {

  public ResearchExtract {
    columns = List.copyOf(columns);
    quasiIdentifiers = List.copyOf(quasiIdentifiers);
    rows = List.copyOf(rows);
  }
}
