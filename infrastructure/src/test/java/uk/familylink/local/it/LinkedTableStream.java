package uk.familylink.local.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import uk.familylink.domain.retention.TtlEvidence;
import uk.familylink.local.aws.EmbeddedAws;

/**
 * Reads a table's DynamoDB stream on DynamoDB Local (DescribeStream, GetShardIterator from
 * TRIM_HORIZON, GetRecords) and turns its records into the JSON a Lambda function subscribed to the
 * stream receives. Remembers where it stopped in each shard, so each {@link #readNew()} returns
 * only what was written since the previous one.
 */
final class LinkedTableStream implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DynamoDbStreamsClient streams;
  private final String streamArn;

  /** Next iterator per shard; null once a closed shard has been read to its end. */
  private final Map<String, String> iterators = new LinkedHashMap<>();

  private LinkedTableStream(DynamoDbStreamsClient streams, String streamArn) {
    this.streams = streams;
    this.streamArn = streamArn;
  }

  /**
   * The table's latest stream; needs DynamoDB Local as a server (the streams client needs its
   * endpoint).
   */
  static LinkedTableStream of(EmbeddedAws aws, String table) {
    URI endpoint =
        aws.dynamoDbEndpoint()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "DynamoDB Local must run as a server to be read through its streams API"));
    String arn = aws.dynamoDb().describeTable(b -> b.tableName(table)).table().latestStreamArn();
    if (arn == null) {
      throw new IllegalStateException("table " + table + " has no stream");
    }
    DynamoDbStreamsClient client =
        DynamoDbStreamsClient.builder()
            .endpointOverride(endpoint)
            .region(aws.region())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        EmbeddedAws.DUMMY_ACCESS_KEY, EmbeddedAws.DUMMY_SECRET_KEY)))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    return new LinkedTableStream(client, arn);
  }

  String streamArn() {
    return streamArn;
  }

  /** Shards of the stream seen so far. */
  int shards() {
    return iterators.size();
  }

  /**
   * Every record written since the previous call (all of them the first time), shard by shard in
   * order.
   */
  List<Record> readNew() {
    for (Shard shard : describeShards()) {
      if (!iterators.containsKey(shard.shardId())) {
        iterators.put(
            shard.shardId(),
            streams
                .getShardIterator(
                    b ->
                        b.streamArn(streamArn)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator());
      }
    }
    List<Record> out = new ArrayList<>();
    for (Map.Entry<String, String> shard : iterators.entrySet()) {
      String iterator = shard.getValue();
      while (iterator != null) {
        String current = iterator;
        GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(current).limit(1000));
        out.addAll(page.records());
        iterator = page.nextShardIterator();
        if (page.records().isEmpty()) {
          break; // caught up with an open shard (or reached a closed one's end: iterator is null)
        }
      }
      shard.setValue(iterator);
    }
    return out;
  }

  private List<Shard> describeShards() {
    List<Shard> shards = new ArrayList<>();
    String start = null;
    do {
      String from = start;
      StreamDescription d =
          streams
              .describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from))
              .streamDescription();
      shards.addAll(d.shards());
      start = d.lastEvaluatedShardId();
    } while (start != null);
    return shards;
  }

  /**
   * The records as one Lambda stream event ({@code {"Records":[...]}}, the shape of
   * /work/shared/aws-events and functions' {@code events/dynamodb-stream-ttl.json}). Everything is
   * copied from the stream record as DynamoDB Local wrote it, except that with {@code asTtlService}
   * each record gets the TTL service's {@code userIdentity}: the one simulated field (see {@link
   * TtlServiceStandIn}).
   */
  ObjectNode asLambdaEvent(List<Record> records, boolean asTtlService) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode out = event.putArray("Records");
    for (Record r : records) {
      ObjectNode rec = out.addObject();
      rec.put("eventID", r.eventID());
      rec.put("eventName", r.eventNameAsString());
      rec.put("eventVersion", r.eventVersion());
      rec.put("eventSource", r.eventSource());
      rec.put("awsRegion", r.awsRegion());
      ObjectNode ddb = rec.putObject("dynamodb");
      var s = r.dynamodb();
      if (s.approximateCreationDateTime() != null) {
        ddb.put("ApproximateCreationDateTime", s.approximateCreationDateTime().getEpochSecond());
      }
      ddb.set("Keys", image(s.keys()));
      if (s.hasNewImage()) {
        ddb.set("NewImage", image(s.newImage()));
      }
      if (s.hasOldImage()) {
        ddb.set("OldImage", image(s.oldImage()));
      }
      ddb.put("SequenceNumber", s.sequenceNumber());
      if (s.sizeBytes() != null) {
        ddb.put("SizeBytes", s.sizeBytes());
      }
      ddb.put("StreamViewType", s.streamViewTypeAsString());
      rec.put("eventSourceARN", streamArn);
      if (asTtlService) {
        // SIMULATED: DynamoDB writes this identity only on the TTL service's own deletions.
        rec.putObject("userIdentity")
            .put("type", TtlEvidence.TTL_IDENTITY_TYPE)
            .put("principalId", TtlEvidence.TTL_PRINCIPAL);
      } else if (r.userIdentity() != null) {
        rec.putObject("userIdentity")
            .put("type", r.userIdentity().type())
            .put("principalId", r.userIdentity().principalId());
      }
    }
    return event;
  }

  /**
   * The template's event-source filter on the TTL-evidence function: {@code {"eventName":
   * ["REMOVE"], "userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]}}}.
   */
  static boolean passesTemplateFilter(JsonNode record) {
    return "REMOVE".equals(record.path("eventName").asText(null))
        && "Service".equals(record.path("userIdentity").path("type").asText(null))
        && "dynamodb.amazonaws.com"
            .equals(record.path("userIdentity").path("principalId").asText(null));
  }

  private static ObjectNode image(Map<String, AttributeValue> attributes) {
    ObjectNode out = JSON.createObjectNode();
    attributes.forEach((name, value) -> out.set(name, attribute(value)));
    return out;
  }

  /** DynamoDB JSON, as in a stream event. */
  private static ObjectNode attribute(AttributeValue v) {
    ObjectNode n = JSON.createObjectNode();
    switch (v.type()) {
      case S -> n.put("S", v.s());
      case N -> n.put("N", v.n());
      case B -> n.put("B", base64(v.b()));
      case BOOL -> n.put("BOOL", v.bool());
      case NUL -> n.put("NULL", true);
      case M -> n.set("M", image(v.m()));
      case L -> {
        ArrayNode list = n.putArray("L");
        v.l().forEach(x -> list.add(attribute(x)));
      }
      case SS -> v.ss().forEach(n.putArray("SS")::add);
      case NS -> v.ns().forEach(n.putArray("NS")::add);
      case BS -> {
        ArrayNode set = n.putArray("BS");
        v.bs().forEach(x -> set.add(base64(x)));
      }
      default -> throw new IllegalArgumentException("attribute type " + v.type());
    }
    return n;
  }

  private static String base64(SdkBytes bytes) {
    return Base64.getEncoder().encodeToString(bytes.asByteArray());
  }

  @Override
  public void close() {
    streams.close();
  }
}
