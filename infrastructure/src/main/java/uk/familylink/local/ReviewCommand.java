package uk.familylink.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import uk.familylink.handler.ReviewHandler;

/**
 * The possible-link review queue on the local tool: {@code review list}, {@code review decide <id>
 * link|keep-apart}, {@code review merges} and {@code review split <merge id>} (ADR 0146). Each
 * sends its request to the real link review handler over the workspace (or the running serve's
 * stores), as the data team's role invokes the function in a deployment.
 */
@Command(
    name = "review",
    mixinStandardHelpOptions = true,
    description = {
      "The possible-link review queue (tier 3 pairs scored between the link thresholds).",
      "  review list                              pending reviews, oldest first",
      "  review decide <id> link|keep-apart --by NAME",
      "  review merges [--how identifier|tier-3|household|review]   merges made, newest first",
      "  review split <merge id> --by NAME        the two persons are two again",
      "link merges the two persons (the older survives; the merge cites the review); keep-apart",
      "keeps them two and the pair is not queued again. The first decision stands. split undoes a",
      "merge, however it was made: the merged person is active again with its own records, and the",
      "pair is never joined again (not by the same file sent again either). Each decision is",
      "audited (LINK_REVIEW, MERGE_SPLIT). Exit status: 0 done, 2 refused (the message says why)."
    },
    subcommands = {
      ReviewCommand.ListReviews.class,
      ReviewCommand.Decide.class,
      ReviewCommand.Merges.class,
      ReviewCommand.Split.class
    })
final class ReviewCommand implements Runnable {

  static final int REFUSED = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "say list, decide, merges or split");
  }

  /** Sends one request to the real handler over the session's stores; the handler's answer. */
  static JsonNode send(LocalSession session, Clock clock, ObjectNode request) throws IOException {
    ReviewHandler handler = new ReviewHandler(session.familyLink().linkReviews(clock));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(request)), out, null);
    return JSON.readTree(out.toByteArray());
  }

  static int refused(JsonNode response) {
    System.err.println(
        "familylink review: refused: " + response.path("error").path("message").asText());
    return REFUSED;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "Pending reviews, oldest first: id, dataset of the record, weight, field agreement, model.",
        "--extract <dataset>=<file.csv> (repeatable) ingests extracts through the real handler first."
      })
  static final class ListReviews implements Callable<Integer> {
    @Option(
        names = "--extract",
        paramLabel = "DATASET=FILE",
        description = "An extract to ingest first, e.g. health=health.csv (repeatable).")
    Map<String, Path> extracts = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the handler's answer as JSON.")
    boolean json;

    @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

    @Override
    public Integer call() throws Exception {
      Clock clock = Clock.systemUTC();
      try (LocalSession session =
          LocalSession.open(workspace, LocalCommands.embedded(), clock, true)) {
        LocalExtracts.ingest(session.familyLink(), extracts, clock, System.err);
        ObjectNode request = JSON.createObjectNode().put("action", "list");
        JsonNode response = send(session, clock, request);
        if (!"LISTED".equals(response.path("status").asText())) {
          return refused(response);
        }
        if (json) {
          System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response));
          return 0;
        }
        JsonNode pending = response.path("pending");
        System.out.println(
            pending.size() + (pending.size() == 1 ? " review" : " reviews") + " pending");
        for (JsonNode r : pending) {
          System.out.println(
              String.format(
                  Locale.ROOT,
                  "%s  %s  weight %.2f  %s  (%s, queued %s)",
                  r.path("reviewId").asText(),
                  r.path("dataset").asText(),
                  r.path("weight").asDouble(),
                  r.path("fields").asText(),
                  r.path("modelVersion").asText(),
                  r.path("queuedAt").asText()));
        }
        return 0;
      }
    }
  }

  @Command(
      name = "decide",
      mixinStandardHelpOptions = true,
      description = "Decide one pending review: link (merge the two persons) or keep-apart.")
  static final class Decide implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "The review id (review list).")
    String reviewId;

    @Parameters(index = "1", paramLabel = "DECISION", description = "link or keep-apart")
    String decision;

    @Option(
        names = "--by",
        required = true,
        description = "Who in the data team decides (recorded in the review and the audit).")
    String decidedBy;

    @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

    @Override
    public Integer call() throws Exception {
      Clock clock = Clock.systemUTC();
      try (LocalSession session =
          LocalSession.open(workspace, LocalCommands.embedded(), clock, true)) {
        ObjectNode request =
            JSON.createObjectNode()
                .put("action", "decide")
                .put("reviewId", reviewId)
                .put("decision", decision)
                .put("decidedBy", decidedBy);
        JsonNode response = send(session, clock, request);
        if (!"DECIDED".equals(response.path("status").asText())) {
          return refused(response);
        }
        System.out.println(
            "review "
                + response.path("reviewId").asText()
                + ": "
                + response.path("decision").asText()
                + (response.path("merged").asBoolean() ? " (the two persons are now one)" : ""));
        return 0;
      }
    }
  }

  @Command(
      name = "merges",
      mixinStandardHelpOptions = true,
      description = {
        "Merges made, newest first: id, how (IDENTIFIER, TIER_3, HOUSEHOLD, REVIEW), when, the",
        "evidence (identifier kind, or weights and field agreement) and whether it was split."
      })
  static final class Merges implements Callable<Integer> {
    @Option(
        names = "--how",
        paramLabel = "HOW",
        description = "Only merges made this way: identifier, tier-3, household or review.")
    String how;

    @Option(names = "--json", description = "Print the handler's answer as JSON.")
    boolean json;

    @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

    @Override
    public Integer call() throws Exception {
      Clock clock = Clock.systemUTC();
      try (LocalSession session =
          LocalSession.open(workspace, LocalCommands.embedded(), clock, true)) {
        ObjectNode request = JSON.createObjectNode().put("action", "merges");
        if (how != null) {
          request.put("how", how);
        }
        JsonNode response = send(session, clock, request);
        if (!"MERGES".equals(response.path("status").asText())) {
          return refused(response);
        }
        if (json) {
          System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response));
          return 0;
        }
        JsonNode merges = response.path("merges");
        System.out.println(merges.size() + (merges.size() == 1 ? " merge" : " merges"));
        for (JsonNode m : merges) {
          System.out.println(line(m));
        }
        return 0;
      }
    }

    static String line(JsonNode m) {
      StringBuilder b =
          new StringBuilder(m.path("mergeId").asText())
              .append("  ")
              .append(m.path("how").asText())
              .append("  ")
              .append(m.path("at").asText());
      if (m.has("identifier")) {
        b.append("  both held ").append(m.path("identifier").asText());
      }
      if (m.has("fields")) {
        b.append(
            String.format(
                Locale.ROOT,
                "  weights %.2f / %.2f, persons %.2f  %s (%s)",
                m.path("weightToSurvivor").asDouble(),
                m.path("weightToMerged").asDouble(),
                m.path("personsWeight").asDouble(),
                m.path("fields").asText(),
                m.path("modelVersion").asText()));
      }
      if (m.path("split").asBoolean()) {
        b.append("  SPLIT ")
            .append(m.path("splitAt").asText())
            .append(" by ")
            .append(m.path("splitBy").asText());
      }
      return b.toString();
    }
  }

  @Command(
      name = "split",
      mixinStandardHelpOptions = true,
      description = "Split one merge (review merges): the two persons are two again, for good.")
  static final class Split implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "The merge id (review merges).")
    String mergeId;

    @Option(
        names = "--by",
        required = true,
        description = "Who in the data team decides (recorded with the merge and in the audit).")
    String decidedBy;

    @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

    @Override
    public Integer call() throws Exception {
      Clock clock = Clock.systemUTC();
      try (LocalSession session =
          LocalSession.open(workspace, LocalCommands.embedded(), clock, true)) {
        ObjectNode request =
            JSON.createObjectNode()
                .put("action", "split")
                .put("mergeId", mergeId)
                .put("decidedBy", decidedBy);
        JsonNode response = send(session, clock, request);
        if (!"SPLIT".equals(response.path("status").asText())) {
          return refused(response);
        }
        System.out.println(
            "merge "
                + response.path("mergeId").asText()
                + " ("
                + response.path("how").asText()
                + "): split; the two persons are two again and will not be joined again");
        return 0;
      }
    }
  }
}
