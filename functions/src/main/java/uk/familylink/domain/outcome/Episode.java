package uk.familylink.domain.outcome;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.need.Need;

/**
 * One intervention: the intervention dataset's rows about a family's members with the same referral
 * date (one row per person per episode). {@code closure} is the latest closure date the rows give,
 * or null while no row gives one (the case is open).
 *
 * @param recordTokens the episode's own rows (their indicators are the needs identified at
 *     assessment; they evidence the start only, never closure or after)
 */
public record Episode(
    LocalDate referral, LocalDate closure, Set<Need> needsIdentified, Set<String> recordTokens) {

  public boolean isClosed() {
    return closure != null;
  }

  /**
   * The family's episodes, oldest first. Rows without an event date are ignored; a closure date
   * that cannot be read, or that is before the referral, is ignored (the case counts as open).
   */
  public static List<Episode> of(List<LinkedRecord> familyRecords, OutcomeSettings settings) {
    Map<LocalDate, List<LinkedRecord>> byReferral = new TreeMap<>();
    for (LinkedRecord r : familyRecords) {
      if (settings.interventionDataset().equals(r.dataset()) && r.eventDate() != null) {
        byReferral.computeIfAbsent(r.eventDate(), d -> new ArrayList<>()).add(r);
      }
    }
    List<Episode> episodes = new ArrayList<>(byReferral.size());
    byReferral.forEach(
        (referral, rows) -> {
          Set<Need> needs = EnumSet.noneOf(Need.class);
          Set<String> tokens = new java.util.TreeSet<>();
          LocalDate closure = null;
          for (LinkedRecord row : rows) {
            needs.addAll(row.indicators());
            tokens.add(row.recordToken());
            LocalDate closed = closureOf(row);
            if (closed != null
                && !closed.isBefore(referral)
                && (closure == null || closed.isAfter(closure))) {
              closure = closed;
            }
          }
          episodes.add(new Episode(referral, closure, needs, tokens));
        });
    episodes.sort(Comparator.comparing(Episode::referral));
    return episodes;
  }

  static LocalDate closureOf(LinkedRecord row) {
    String value = row.attributes().get(OutcomeSettings.CLOSURE_ATTRIBUTE);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
