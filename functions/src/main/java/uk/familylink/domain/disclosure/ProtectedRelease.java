package uk.familylink.domain.disclosure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A release after disclosure control: the text to show for every cell (the only values any output
 * may print), which cells were hidden and why, and the attacker check's report that passed.
 */
public record ProtectedRelease(
    Map<String, String> shown, Set<String> primary, Set<String> secondary, AttackReport report) {

  public ProtectedRelease {
    shown = Collections.unmodifiableMap(new LinkedHashMap<>(shown));
    primary = Collections.unmodifiableSet(new LinkedHashSet<>(primary));
    secondary = Collections.unmodifiableSet(new LinkedHashSet<>(secondary));
  }

  public String show(String cell) {
    String text = shown.get(cell);
    if (text == null) {
      throw new IllegalArgumentException("no cell " + cell);
    }
    return text;
  }

  public boolean isSuppressed(String cell) {
    return primary.contains(cell) || secondary.contains(cell);
  }

  /** What this release showed, for checking the next one against differencing. */
  public PublishedRelease asPublished(boolean cumulative) {
    return new PublishedRelease(shown, cumulative);
  }
}
