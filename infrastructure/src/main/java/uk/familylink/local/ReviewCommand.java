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
 * The possible-link review queue on the local tool: {@code review list} and {@code review decide
 * <id> link|keep-apart}. Each sends its request to the real link review handler over the workspace
 * (or the running serve's stores), as the data team's role invokes the function in a deployment.
 */
@Command(
    name = "review",
    mixinStandardHelpOptions = true,
    description = {
      "The possible-link review queue (tier 3 pairs scored between the link thresholds).",
      "  review list                              pending reviews, oldest first",
      "  review decide <id> link|keep-apart --by NAME",
      "link merges the two persons (the older survives; the merge cites the review); keep-apart",
      "keeps them two and the pair is not queued again. The first decision stands. Each decision is",
      "audited (LINK_REVIEW). Exit status: 0 done, 2 refused (the message says why)."
    },
    subcommands = {ReviewCommand.ListReviews.class, ReviewCommand.Decide.class})
final class ReviewCommand implements Runnable {

  static final int REFUSED = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say list or decide");
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
}
