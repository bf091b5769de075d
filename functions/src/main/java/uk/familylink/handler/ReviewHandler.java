package uk.familylink.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.MergeRecord;
import uk.familylink.domain.review.LinkReviewException;
import uk.familylink.domain.review.LinkReviews;

/**
 * The link review function, invoked directly by the data team's role (no public trigger).
 *
 * <p>Requests: {@code {"action": "list"}}, {@code {"action": "decide", "reviewId": "<32 hex>",
 * "decision": "link" | "keep-apart", "decidedBy": "<name>"}}, {@code {"action": "merges", "how":
 * "IDENTIFIER" | "TIER_3" | "HOUSEHOLD" | "REVIEW" (optional)}}, or {@code {"action": "split",
 * "mergeId": "<32 hex>", "decidedBy": "<name>"}} (ADR 0146).
 *
 * <p>Answers: {@code {"status": "LISTED", "pending": [{"reviewId", "dataset", "weight", "fields",
 * "modelVersion", "queuedAt"}...]}}, {@code {"status": "DECIDED", "reviewId", "decision",
 * "merged"}}, {@code {"status": "MERGES", "merges": [{"mergeId", "how", "identifier", "at",
 * "weights"..., "fields", "modelVersion", "split", "splitAt", "splitBy"}...]}}, {@code {"status":
 * "SPLIT", "mergeId", "how"}}, or {@code {"status": "REFUSED", "error": {"reason", "message"}}}.
 * Reviews and merges are shown by ids that hash two pseudonymous person ids, with weights and
 * agreement levels only; neither answers nor logs carry a person id or a value.
 */
public final class ReviewHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ReviewHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LinkReviews reviews;

  /** Used by Lambda: wiring is built once per execution environment. */
  public ReviewHandler() {
    this(ReviewWiring.LAMBDA.get());
  }

  public ReviewHandler(LinkReviews reviews) {
    this.reviews = reviews;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Map<String, Object> response = new LinkedHashMap<>();
    try {
      JsonNode request = parse(input);
      String action = request.path("action").asText("");
      switch (action) {
        case "list" -> {
          List<Object> pending = new ArrayList<>();
          for (LinkReview r : reviews.pending()) {
            pending.add(view(r));
          }
          response.put("status", "LISTED");
          response.put("pending", pending);
          LOG.atInfo()
              .addKeyValue("event", "review.listed")
              .addKeyValue("pending", pending.size())
              .log("link reviews listed");
        }
        case "decide" -> {
          String decisionText = text(request, "decision");
          LinkReviews.Decision decision = LinkReviews.Decision.parse(decisionText);
          LinkReviews.Outcome outcome =
              reviews.decide(text(request, "reviewId"), decision, text(request, "decidedBy"));
          response.put("status", "DECIDED");
          response.put("reviewId", outcome.review().id());
          response.put("decision", outcome.review().status().name());
          response.put("merged", outcome.merged());
          LOG.atInfo()
              .addKeyValue("event", "review.decided")
              .addKeyValue("decision", outcome.review().status().name())
              .addKeyValue("merged", outcome.merged())
              .log("link review decided");
        }
        case "merges" -> {
          MergeRecord.How how = how(text(request, "how"));
          List<Object> merges = new ArrayList<>();
          for (MergeRecord m : reviews.merges(how)) {
            merges.add(view(m));
          }
          response.put("status", "MERGES");
          response.put("merges", merges);
          LOG.atInfo()
              .addKeyValue("event", "review.merges")
              .addKeyValue("merges", merges.size())
              .log("merges listed");
        }
        case "split" -> {
          LinkReviews.SplitOutcome outcome =
              reviews.split(text(request, "mergeId"), text(request, "decidedBy"));
          response.put("status", "SPLIT");
          response.put("mergeId", outcome.merge().id());
          response.put("how", outcome.merge().how().name());
          LOG.atInfo()
              .addKeyValue("event", "review.split")
              .addKeyValue("how", outcome.merge().how().name())
              .log("merge split");
        }
        default ->
            throw new LinkReviewException(
                LinkReviewException.Reason.INVALID_REQUEST,
                "action must be list, decide, merges or split");
      }
    } catch (LinkReviewException e) {
      response.clear();
      response.put("status", "REFUSED");
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("reason", e.reason().name());
      error.put("message", e.getMessage());
      response.put("error", error);
      LOG.atWarn()
          .addKeyValue("event", "review.refused")
          .addKeyValue("reason", e.reason().name())
          .log("link review request refused");
    }
    JSON.writeValue(output, response);
  }

  /** One pending review as listed: no person id, no record token. */
  static Map<String, Object> view(LinkReview r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reviewId", r.id());
    m.put("dataset", r.dataset());
    m.put("weight", r.weight());
    m.put("fields", r.breakdown());
    m.put("modelVersion", r.modelVersion());
    m.put("queuedAt", r.queuedAt().toString());
    return m;
  }

  /**
   * One merge as listed: its id, how it was made and its evidence (the identifier kind, or weights,
   * agreement levels and model); no person id, no file id.
   */
  static Map<String, Object> view(MergeRecord m) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("mergeId", m.id());
    v.put("how", m.how().name());
    v.put("at", m.at().toString());
    if (m.bridgedBy() != null) {
      v.put("identifier", m.bridgedBy().name());
    }
    MergeRecord.ProbabilisticBridge b = m.probabilistic();
    if (b != null) {
      v.put("weightToSurvivor", b.survivorWeight());
      v.put("weightToMerged", b.mergedWeight());
      v.put("personsWeight", b.personsWeight());
      v.put("fields", b.fields());
      v.put("modelVersion", b.modelVersion());
    }
    v.put("split", !m.inForce());
    if (!m.inForce()) {
      v.put("splitAt", m.split().at().toString());
      v.put("splitBy", m.split().by());
    }
    return v;
  }

  private static MergeRecord.How how(String text) {
    if (text == null) {
      return null;
    }
    try {
      return MergeRecord.How.valueOf(
          text.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new LinkReviewException(
          LinkReviewException.Reason.INVALID_REQUEST,
          "how must be IDENTIFIER, TIER_3, HOUSEHOLD or REVIEW");
    }
  }

  private static JsonNode parse(InputStream input) {
    JsonNode root;
    try {
      root = JSON.readTree(input);
    } catch (IOException | RuntimeException e) {
      root = null; // Jackson's messages quote the input: say only that it is not JSON
    }
    if (root == null || !root.isObject()) {
      throw new LinkReviewException(
          LinkReviewException.Reason.INVALID_REQUEST, "the request is not a JSON object");
    }
    return root;
  }

  private static String text(JsonNode root, String name) {
    JsonNode node = root.get(name);
    return node == null || !node.isTextual() ? null : node.asText();
  }
}
