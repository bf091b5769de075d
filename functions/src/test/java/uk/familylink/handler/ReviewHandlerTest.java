package uk.familylink.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.linkage.LinkReview;
import uk.familylink.domain.linkage.MatchModel;
import uk.familylink.domain.linkage.MatchScore;
import uk.familylink.domain.linkage.PersonEntry;
import uk.familylink.domain.linkage.PersonId;
import uk.familylink.domain.review.LinkReviews;
import uk.familylink.fakes.InMemoryAuditLog;
import uk.familylink.fakes.InMemoryLinkedData;

/** The review function's requests and answers, over the in-memory stores. */
class ReviewHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-02-01T09:00:00Z");
  private static final long EXPIRES = Instant.parse("2032-03-31T00:00:00Z").getEpochSecond();

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final InMemoryLinkedData data = new InMemoryLinkedData(clock);
  private final ReviewHandler handler =
      new ReviewHandler(
          new LinkReviews(data, data, data, new InMemoryAuditLog(), clock, () -> EXPIRES));

  private JsonNode send(String request) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)), out, null);
    return JSON.readTree(out.toByteArray());
  }

  private String queue() {
    PersonId a = new PersonId("person-a");
    PersonId b = new PersonId("person-b");
    data.claim(
        List.of(PersonEntry.created(a, NOW.minusSeconds(9)), PersonEntry.created(b, NOW)),
        Map.of(),
        EXPIRES,
        NOW);
    LinkReview r =
        LinkReview.pending(
            b,
            a,
            "dwp-benefits",
            "record-token",
            new MatchScore(
                new EnumMap<>(MatchModel.Field.class),
                false,
                12.5,
                MatchScore.Decision.POSSIBLE,
                "fs-v1-prior"),
            NOW,
            EXPIRES);
    data.queue(List.of(r), NOW);
    return r.id();
  }

  @Test
  void listShowsPendingReviewsWithoutPersonIdsOrTokens() throws Exception {
    String id = queue();
    JsonNode listed = send("{\"action\":\"list\"}");
    assertThat(listed.path("status").asText()).isEqualTo("LISTED");
    assertThat(listed.path("pending")).hasSize(1);
    assertThat(listed.path("pending").get(0).path("reviewId").asText()).isEqualTo(id);
    assertThat(listed.path("pending").get(0).path("weight").asDouble()).isEqualTo(12.5);
    assertThat(listed.toString()).doesNotContain("person-a", "person-b", "record-token");
  }

  @Test
  void decideAnswersDecidedThenRefusesASecondDecision() throws Exception {
    String id = queue();
    JsonNode decided =
        send(
            "{\"action\":\"decide\",\"reviewId\":\""
                + id
                + "\",\"decision\":\"link\",\"decidedBy\":\"analyst\"}");
    assertThat(decided.path("status").asText()).isEqualTo("DECIDED");
    assertThat(decided.path("decision").asText()).isEqualTo("LINKED");
    assertThat(decided.path("merged").asBoolean()).isTrue();
    assertThat(decided.toString()).doesNotContain("person-a", "person-b");

    JsonNode again =
        send(
            "{\"action\":\"decide\",\"reviewId\":\""
                + id
                + "\",\"decision\":\"keep-apart\",\"decidedBy\":\"analyst\"}");
    assertThat(again.path("status").asText()).isEqualTo("REFUSED");
    assertThat(again.path("error").path("reason").asText()).isEqualTo("ALREADY_DECIDED");
  }

  @Test
  void malformedRequestsAreRefusedWithoutQuotingThem() throws Exception {
    JsonNode notJson = send("{not json: secret-value");
    assertThat(notJson.path("error").path("message").asText())
        .isEqualTo("the request is not a JSON object");
    assertThat(notJson.toString()).doesNotContain("secret-value");
    assertThat(send("{\"action\":\"delete\"}").path("error").path("message").asText())
        .isEqualTo("action must be list, decide, merges or split");
    assertThat(
            send("{\"action\":\"decide\",\"reviewId\":\"x\",\"decision\":\"link\"}")
                .path("error")
                .path("reason")
                .asText())
        .isEqualTo("INVALID_REQUEST");
  }

  @Test
  void mergesListsAMergeByItsIdWithoutPersonIdsAndSplitAnswersSplitThenRefuses() throws Exception {
    String id = queue();
    send(
        "{\"action\":\"decide\",\"reviewId\":\""
            + id
            + "\",\"decision\":\"link\",\"decidedBy\":\"analyst\"}");

    JsonNode merges = send("{\"action\":\"merges\"}");
    assertThat(merges.path("status").asText()).isEqualTo("MERGES");
    assertThat(merges.path("merges")).hasSize(1);
    JsonNode merge = merges.path("merges").get(0);
    assertThat(merge.path("mergeId").asText()).isEqualTo(id);
    assertThat(merge.path("how").asText()).isEqualTo("REVIEW");
    assertThat(merge.path("split").asBoolean()).isFalse();
    assertThat(merges.toString()).doesNotContain("person-a", "person-b", "record-token");
    assertThat(send("{\"action\":\"merges\",\"how\":\"tier-3\"}").path("merges")).isEmpty();
    assertThat(
            send("{\"action\":\"merges\",\"how\":\"guess\"}").path("error").path("reason").asText())
        .isEqualTo("INVALID_REQUEST");

    JsonNode split =
        send("{\"action\":\"split\",\"mergeId\":\"" + id + "\",\"decidedBy\":\"analyst B\"}");
    assertThat(split.path("status").asText()).isEqualTo("SPLIT");
    assertThat(split.path("how").asText()).isEqualTo("REVIEW");
    assertThat(split.toString()).doesNotContain("person-a", "person-b");
    JsonNode listed = send("{\"action\":\"merges\"}").path("merges").get(0);
    assertThat(listed.path("split").asBoolean()).isTrue();
    assertThat(listed.path("splitBy").asText()).isEqualTo("analyst B");
    JsonNode again =
        send("{\"action\":\"split\",\"mergeId\":\"" + id + "\",\"decidedBy\":\"analyst B\"}");
    assertThat(again.path("status").asText()).isEqualTo("REFUSED");
    assertThat(again.path("error").path("reason").asText()).isEqualTo("ALREADY_DECIDED");
  }
}
