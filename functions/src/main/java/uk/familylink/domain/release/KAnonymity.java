package uk.familylink.domain.release;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * k-anonymity over quasi-identifiers: every combination of their values that is released is shared
 * by at least k rows. Rows in smaller classes are generalised step by step (each step a coarser
 * version of some columns, or their local suppression to {@code *}, applied only to the rows still
 * in small classes), and rows still in a class smaller than k after the last step are withheld. A
 * suppressed {@code *} counts as a value of its own, which understates class sizes (the safe side).
 */
public final class KAnonymity {

  /** A generalisation: which columns, and how a value of each becomes coarser. */
  public record Step(List<String> columns, UnaryOperator<String> coarser) {
    public Step {
      columns = List.copyOf(columns);
    }

    public Step(String column, UnaryOperator<String> coarser) {
      this(List.of(column), coarser);
    }
  }

  /**
   * The rows kept, and how many were changed or left out.
   *
   * @param generalised rows changed by any step; {@code withheld} rows left out
   */
  public record Result(List<Map<String, String>> rows, long generalised, long withheld) {}

  private KAnonymity() {}

  public static Result apply(
      List<Map<String, String>> input, List<String> quasiIdentifiers, int k, List<Step> steps) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Map<String, String> r : input) {
      rows.add(new LinkedHashMap<>(r));
    }
    boolean[] changed = new boolean[rows.size()];
    for (Step step : steps) {
      Map<List<String>, Integer> sizes = classSizes(rows, quasiIdentifiers);
      for (int i = 0; i < rows.size(); i++) {
        Map<String, String> row = rows.get(i);
        if (sizes.get(key(row, quasiIdentifiers)) < k) {
          for (String column : step.columns()) {
            String before = row.get(column);
            String after = step.coarser().apply(before);
            if (!after.equals(before)) {
              row.put(column, after);
              changed[i] = true;
            }
          }
        }
      }
    }
    Map<List<String>, Integer> sizes = classSizes(rows, quasiIdentifiers);
    List<Map<String, String>> kept = new ArrayList<>();
    long generalised = 0;
    long withheld = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (sizes.get(key(rows.get(i), quasiIdentifiers)) < k) {
        withheld++;
      } else {
        kept.add(rows.get(i));
        if (changed[i]) {
          generalised++;
        }
      }
    }
    return new Result(kept, generalised, withheld);
  }

  /** The smallest class size over the quasi-identifiers (Integer.MAX_VALUE when no rows). */
  public static int smallestClass(List<Map<String, String>> rows, List<String> quasiIdentifiers) {
    return classSizes(rows, quasiIdentifiers).values().stream()
        .mapToInt(Integer::intValue)
        .min()
        .orElse(Integer.MAX_VALUE);
  }

  static Map<List<String>, Integer> classSizes(
      List<Map<String, String>> rows, List<String> quasiIdentifiers) {
    Map<List<String>, Integer> sizes = new HashMap<>();
    for (Map<String, String> row : rows) {
      sizes.merge(key(row, quasiIdentifiers), 1, Integer::sum);
    }
    return sizes;
  }

  private static List<String> key(Map<String, String> row, List<String> quasiIdentifiers) {
    List<String> key = new ArrayList<>(quasiIdentifiers.size());
    for (String q : quasiIdentifiers) {
      key.add(row.get(q));
    }
    return key;
  }
}
