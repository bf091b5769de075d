package uk.familylink.domain.outcome;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import uk.familylink.domain.linkage.FamilyKey;
import uk.familylink.domain.linkage.LinkedRecord;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.need.Need;

/** Test data builders for linked records (pseudonyms are made-up tokens). */
final class Records {
  static final FamilyKey FAMILY = new FamilyKey("FAMILY_REF", "fam1");
  static final long EXPIRES = 1_900_000_000L;
  private static final AtomicInteger NEXT = new AtomicInteger();

  private Records() {}

  static LinkedRecord earlyHelp(String person, String referral, String closure, Need... needs) {
    Map<String, String> attributes = new HashMap<>();
    if (closure != null) {
      attributes.put("closure_date", closure);
    }
    return record("early-help", person, referral, attributes, needs);
  }

  static LinkedRecord evidence(String dataset, String person, String date, Need... needs) {
    return record(dataset, person, date, Map.of(), needs);
  }

  static LinkedRecord record(
      String dataset, String person, String date, Map<String, String> attributes, Need... needs) {
    return new LinkedRecord(
        dataset,
        dataset,
        "rec" + NEXT.incrementAndGet(),
        new PersonId(person),
        FAMILY,
        needs.length == 0 ? Set.of() : Set.of(needs),
        date == null ? null : LocalDate.parse(date),
        "2015-01",
        false,
        Map.copyOf(attributes),
        "file",
        EXPIRES);
  }

  static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }
}
