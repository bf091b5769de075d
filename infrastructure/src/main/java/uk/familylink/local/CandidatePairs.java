package uk.familylink.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import uk.familylink.domain.contract.ContractRegistry;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.linkage.IdentityKey;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.MatchModelFit;
import uk.familylink.domain.linkage.MatchScorer;
import uk.familylink.domain.linkage.PseudonymisedRow;
import uk.familylink.domain.pseudonym.DemographicEncoder;
import uk.familylink.domain.pseudonym.RowPseudonymiser;
import uk.familylink.domain.pseudonym.WorkingKeys;
import uk.familylink.domain.validation.ExtractValidator;
import uk.familylink.domain.validation.ValidationPolicy;

/**
 * Records as the service sees them (validated and pseudonymised with the service's keys, so only
 * keyed tokens and encodings), and the pairs of them that tier-3 blocking makes candidates: the
 * input of a model fit and of {@link PairDiagnosis}. Nothing here reads a ground truth.
 */
final class CandidatePairs {

  /** Records per blocking key above which the linker skips the key (the linker's own cap). */
  static final int BLOCK_CAP = uk.familylink.domain.linkage.PersonResolution.BLOCK_CAP;

  private CandidatePairs() {}

  /**
   * One validated record.
   *
   * @param id dataset and record token: unique across the uploads
   * @param blocks its tier-3 blocking keys
   * @param any its blocking, strong and composite keys (every route by which it can be found)
   */
  record Seen(String id, PseudonymisedRow row, Set<String> blocks, Set<String> any) {}

  /** The validated records of the uploads (incoming key to file), by {@link Seen#id}. */
  static Map<String, Seen> read(Map<String, Path> uploads, WorkingKeys keys, Clock clock)
      throws IOException {
    ContractRegistry contracts = ContractRegistry.fromClasspath();
    Map<String, Seen> byRecord = new LinkedHashMap<>();
    for (Map.Entry<String, Path> upload : uploads.entrySet()) {
      String dataset = upload.getKey().split("/", -1)[2]; // incoming/<partner>/<dataset>/<file>
      DatasetContract contract =
          contracts
              .find(dataset)
              .orElseThrow(() -> new IllegalArgumentException("no contract " + dataset));
      ExtractValidator validator =
          new ExtractValidator(
              contract, ValidationPolicy.DEFAULTS.overriddenBy(contract.limits()), clock);
      RowPseudonymiser pseudonymiser =
          new RowPseudonymiser(keys.newTokeniser(), keys.newEncoder(), dataset);
      try (InputStream in = Files.newInputStream(upload.getValue())) {
        validator.validate(
            in,
            row -> {
              PseudonymisedRow p = pseudonymiser.pseudonymise(row);
              Set<String> blocks = new HashSet<>(p.blockKeys());
              Set<String> any = new HashSet<>(blocks);
              for (IdentityKey k : p.strongKeys()) {
                any.add(k.kind() + ":" + k.token());
              }
              for (IdentityKey k : p.compositeKeys()) {
                any.add(k.kind() + ":" + k.token());
              }
              String id = dataset + "|" + p.recordToken();
              byRecord.put(id, new Seen(id, p, blocks, any));
            });
      }
    }
    return byRecord;
  }

  /**
   * Calls {@code pair} once for each distinct pair of records with demographics that share a
   * blocking key held by at most {@link #BLOCK_CAP} records: the pairs the linker would compare.
   */
  static void forEachBlockedPair(Iterable<Seen> records, BiConsumer<Seen, Seen> pair) {
    Map<String, List<Seen>> byKey = new HashMap<>();
    for (Seen s : records) {
      if (s.row().demographics() == null) {
        continue;
      }
      for (String key : s.blocks()) {
        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      }
    }
    Set<String> done = new HashSet<>();
    for (List<Seen> block : byKey.values()) {
      if (block.size() > BLOCK_CAP) {
        continue;
      }
      for (int i = 0; i < block.size(); i++) {
        for (int j = i + 1; j < block.size(); j++) {
          Seen a = block.get(i);
          Seen b = block.get(j);
          String id = a.id().compareTo(b.id()) < 0 ? a.id() + "~" + b.id() : b.id() + "~" + a.id();
          if (done.add(id)) {
            pair.accept(a, b);
          }
        }
      }
    }
  }

  /** The agreement patterns of the blocked pairs. */
  static MatchModelFit.Patterns blockedPatterns(Iterable<Seen> records, MatchScorer scorer) {
    MatchModelFit.Patterns patterns = new MatchModelFit.Patterns();
    forEachBlockedPair(
        records,
        (a, b) ->
            patterns.add(scorer.score(a.row().demographics(), b.row().demographics()).levels()));
    return patterns;
  }

  /**
   * The agreement patterns of the pairs each blocking pass finds (distinct within the pass), with
   * the fields the pass blocks on set to missing ({@link DemographicEncoder#fieldsBlockedBy}).
   */
  static Map<String, MatchModelFit.Patterns> blockedPatternsByPass(
      Iterable<Seen> records, MatchScorer scorer) {
    Map<String, Map<String, List<Seen>>> byPassKey = new TreeMap<>();
    for (Seen s : records) {
      if (s.row().demographics() == null) {
        continue;
      }
      for (String key : s.blocks()) {
        String pass = key.substring(0, key.indexOf(':'));
        byPassKey
            .computeIfAbsent(pass, p -> new HashMap<>())
            .computeIfAbsent(key, k -> new ArrayList<>())
            .add(s);
      }
    }
    Map<String, MatchModelFit.Patterns> out = new TreeMap<>();
    for (var pass : byPassKey.entrySet()) {
      Set<MatchModel.Field> blocked = DemographicEncoder.fieldsBlockedBy(pass.getKey());
      MatchModelFit.Patterns patterns = new MatchModelFit.Patterns();
      Set<String> done = new HashSet<>();
      for (List<Seen> block : pass.getValue().values()) {
        if (block.size() > BLOCK_CAP) {
          continue;
        }
        for (int i = 0; i < block.size(); i++) {
          for (int j = i + 1; j < block.size(); j++) {
            Seen a = block.get(i);
            Seen b = block.get(j);
            String id =
                a.id().compareTo(b.id()) < 0 ? a.id() + "~" + b.id() : b.id() + "~" + a.id();
            if (done.add(id)) {
              Map<MatchModel.Field, MatchModel.Level> levels =
                  new EnumMap<>(
                      scorer.score(a.row().demographics(), b.row().demographics()).levels());
              blocked.forEach(f -> levels.put(f, MatchModel.Level.MISSING));
              patterns.add(levels);
            }
          }
        }
      }
      out.put(pass.getKey(), patterns);
    }
    return out;
  }

  /**
   * The agreement patterns of {@code pairs} record pairs drawn at random (with a fixed seed):
   * nearly all different persons, so their levels' shares estimate u.
   */
  static MatchModelFit.Patterns randomPatterns(
      List<Seen> records, MatchScorer scorer, int pairs, long seed) {
    List<Seen> withDemographics = new ArrayList<>();
    for (Seen s : records) {
      if (s.row().demographics() != null) {
        withDemographics.add(s);
      }
    }
    MatchModelFit.Patterns patterns = new MatchModelFit.Patterns();
    int n = withDemographics.size();
    if (n < 2) {
      return patterns;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int k = 0; k < pairs; k++) {
      int i = random.nextInt(n);
      int j = random.nextInt(n - 1);
      if (j >= i) {
        j++;
      }
      patterns.add(
          scorer
              .score(
                  withDemographics.get(i).row().demographics(),
                  withDemographics.get(j).row().demographics())
              .levels());
    }
    return patterns;
  }
}
