package uk.familylink.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.MatchScore;
import uk.familylink.domain.linkage.MatchScorer;
import uk.familylink.domain.pseudonym.RowPseudonymiser;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.local.CandidatePairs.Seen;

/**
 * Where true pairs are lost, measured beside the service on the same extracts and keys (the ground
 * truth never reaches the service): <b>pair completeness</b>, the share of true pairs whose two
 * validated records share at least one tier-3 blocking key (or, for {@code anyRoute}, a blocking
 * key, a strong identifier or a composite key: some way for the linker to find one from the other),
 * and, for true pairs that do share a blocking key, what the scorer decides when it compares the
 * two records directly, with the agreement levels of the most common non-links.
 *
 * @param truePairs true pairs among all ground-truth records
 * @param validPairs true pairs whose two records both passed validation
 * @param blockedPairs valid pairs sharing a blocking key
 * @param anyRoutePairs valid pairs sharing a blocking key, strong identifier or composite key
 * @param decisions of the blocked pairs, by the scorer's decision on the pair alone
 * @param missedPatterns agreement levels of blocked pairs the scorer does not link, most common
 *     first (at most ten)
 * @param candidatePairs distinct pairs of valid records sharing a blocking key (true or not)
 * @param candidateLinks of those, pairs the scorer links by themselves
 * @param falseCandidateLinks of those, pairs of two different persons
 */
public record PairDiagnosis(
    long truePairs,
    long validPairs,
    long blockedPairs,
    long anyRoutePairs,
    Map<MatchScore.Decision, Long> decisions,
    Map<String, Long> missedPatterns,
    long candidatePairs,
    long candidateLinks,
    long falseCandidateLinks) {

  /** Share of all true pairs sharing a blocking key. */
  public double pairCompleteness() {
    return truePairs == 0 ? 1.0 : (double) blockedPairs / truePairs;
  }

  /** Share of true pairs of validated records sharing a blocking key. */
  public double pairCompletenessOfValid() {
    return validPairs == 0 ? 1.0 : (double) blockedPairs / validPairs;
  }

  /** Share of all true pairs with any route (blocking, strong or composite key). */
  public double anyRouteCompleteness() {
    return truePairs == 0 ? 1.0 : (double) anyRoutePairs / truePairs;
  }

  /**
   * Diagnoses the given uploads (incoming key to file) against the ground truth.
   *
   * @param keys the same working keys the service used ({@link WorkingKeys#forIngest})
   * @param model the model the service scored with
   */
  public static PairDiagnosis measure(
      Map<String, Path> uploads, Path groundTruth, WorkingKeys keys, Clock clock, MatchModel model)
      throws IOException {
    Map<String, Seen> byRecord = CandidatePairs.read(uploads, keys, clock);
    Map<String, List<Seen>> byPerson = new HashMap<>();
    Map<String, Long> allByPerson = new HashMap<>();
    Map<String, String> personOf = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(groundTruth, StandardCharsets.UTF_8)) {
      in.readLine(); // header
      String line;
      var tokeniser = keys.newTokeniser();
      while ((line = in.readLine()) != null) {
        String[] f = line.split(",", -1);
        allByPerson.merge(f[2], 1L, Long::sum);
        String ref = Identifiers.normalise(IdentifierKind.RECORD_REF, f[1]);
        if (ref == null) {
          continue;
        }
        Seen seen =
            byRecord.get(f[0] + "|" + tokeniser.token(RowPseudonymiser.recordRefLabel(f[0]), ref));
        if (seen != null) {
          byPerson.computeIfAbsent(f[2], k -> new ArrayList<>()).add(seen);
          personOf.put(seen.id(), f[2]);
        }
      }
    }
    long truePairs = 0;
    for (long n : allByPerson.values()) {
      truePairs += n * (n - 1) / 2;
    }
    MatchScorer scorer = new MatchScorer(model);
    long valid = 0;
    long blocked = 0;
    long anyRoute = 0;
    Map<MatchScore.Decision, Long> decisions = new TreeMap<>();
    Map<String, Long> missed = new HashMap<>();
    for (List<Seen> records : byPerson.values()) {
      for (int i = 0; i < records.size(); i++) {
        for (int j = i + 1; j < records.size(); j++) {
          Seen a = records.get(i);
          Seen b = records.get(j);
          valid++;
          if (!disjoint(a.any(), b.any())) {
            anyRoute++;
          }
          if (disjoint(a.blocks(), b.blocks())) {
            continue;
          }
          blocked++;
          if (a.row().demographics() == null || b.row().demographics() == null) {
            continue;
          }
          boolean sameFamily =
              a.row().family() != null && a.row().family().equals(b.row().family());
          MatchScore s = scorer.score(a.row().demographics(), b.row().demographics(), sameFamily);
          decisions.merge(s.decision(), 1L, Long::sum);
          if (s.decision() != MatchScore.Decision.LINK) {
            missed.merge(s.decision() + " " + s.breakdown(), 1L, Long::sum);
          }
        }
      }
    }
    Map<String, Long> top = new LinkedHashMap<>();
    missed.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(10)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    long[] candidates = new long[3]; // blocked pairs, of them linked, of those different persons
    CandidatePairs.forEachBlockedPair(
        byRecord.values(),
        (a, b) -> {
          candidates[0]++;
          boolean sameFamily =
              a.row().family() != null && a.row().family().equals(b.row().family());
          if (scorer.score(a.row().demographics(), b.row().demographics(), sameFamily).decision()
              == MatchScore.Decision.LINK) {
            candidates[1]++;
            String pa = personOf.get(a.id());
            if (pa == null || !pa.equals(personOf.get(b.id()))) {
              candidates[2]++;
            }
          }
        });
    return new PairDiagnosis(
        truePairs,
        valid,
        blocked,
        anyRoute,
        decisions,
        top,
        candidates[0],
        candidates[1],
        candidates[2]);
  }

  /** Share of the scorer's links of blocked pairs, alone, that are the same person. */
  public double candidatePrecision() {
    return candidateLinks == 0 ? 1.0 : 1 - (double) falseCandidateLinks / candidateLinks;
  }

  private static boolean disjoint(Set<String> a, Set<String> b) {
    for (String s : a) {
      if (b.contains(s)) {
        return false;
      }
    }
    return true;
  }
}
