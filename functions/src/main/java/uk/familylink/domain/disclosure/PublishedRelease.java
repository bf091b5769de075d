package uk.familylink.domain.disclosure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an earlier release showed, cell by cell (the shown text, as published), kept so the next
 * release can be checked against differencing. {@code cumulative} says each count of the new
 * release covers at least the population the same cell counted before (families identified so far),
 * which is what lets an attacker subtract.
 */
public record PublishedRelease(Map<String, String> shown, boolean cumulative) {

  public PublishedRelease {
    shown = Collections.unmodifiableMap(new LinkedHashMap<>(shown));
  }

  public static PublishedRelease none() {
    return new PublishedRelease(Map.of(), false);
  }

  public boolean isEmpty() {
    return shown.isEmpty();
  }
}
