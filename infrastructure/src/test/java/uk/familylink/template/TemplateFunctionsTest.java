package uk.familylink.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static uk.familylink.template.CfnTemplate.list;
import static uk.familylink.template.CfnTemplate.map;
import static uk.familylink.template.CfnTemplate.properties;
import static uk.familylink.template.CfnTemplate.references;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.outputs.Purpose;
import uk.familylink.domain.retention.RetentionPolicy;
import uk.familylink.domain.retention.SweepSettings;
import uk.familylink.handler.AccessConfig;
import uk.familylink.handler.FamilyOutputsConfig;
import uk.familylink.handler.FunctionConfig;
import uk.familylink.handler.IngestConfig;
import uk.familylink.handler.OutputsConfig;
import uk.familylink.handler.ReviewConfig;
import uk.familylink.handler.SweepConfig;
import uk.familylink.handler.TtlEvidenceConfig;

/** The functions: what they run, what they are told, how they fail, where they log. */
class TemplateFunctionsTest {

  /**
   * Every function the template deploys (logical ID -> handler). Only functions whose code exists
   * are deployed.
   */
  static final Map<String, String> HANDLERS =
      Map.of(
          "IngestFunction", "uk.familylink.handler.IngestHandler::handleRequest",
          "RetentionSweepFunction", "uk.familylink.handler.RetentionSweepHandler::handleRequest",
          "TtlEvidenceFunction", "uk.familylink.handler.TtlEvidenceHandler::handleRequest",
          "SubjectAccessFunction", "uk.familylink.handler.SubjectAccessHandler::handleRequest",
          "LinkReviewFunction", "uk.familylink.handler.ReviewHandler::handleRequest",
          "StatisticsFunction", "uk.familylink.handler.StatisticsHandler::handleRequest",
          "ResearchReleaseFunction", "uk.familylink.handler.ResearchReleaseHandler::handleRequest",
          "IdentificationFunction", "uk.familylink.handler.FamilyOutputsHandler::handleRequest",
          "EvaluationFunction", "uk.familylink.handler.FamilyOutputsHandler::handleRequest");

  /** The variables each function's configuration reads, by function. */
  static final Map<String, Set<String>> VARIABLES =
      Map.of(
          "IngestFunction",
          IngestConfig.VARIABLES,
          "RetentionSweepFunction",
          SweepConfig.VARIABLES,
          "TtlEvidenceFunction",
          TtlEvidenceConfig.VARIABLES,
          "SubjectAccessFunction",
          AccessConfig.VARIABLES,
          "LinkReviewFunction",
          ReviewConfig.VARIABLES,
          "StatisticsFunction",
          OutputsConfig.statisticsVariables(),
          "ResearchReleaseFunction",
          OutputsConfig.releaseVariables(),
          "IdentificationFunction",
          FamilyOutputsConfig.variables(Purpose.IDENTIFICATION),
          "EvaluationFunction",
          FamilyOutputsConfig.variables(Purpose.EVALUATION));

  static final String JVM_OPTIONS = "JAVA_TOOL_OPTIONS";
  static final String ARTEFACT = "functions/target/familylink-functions-lambda.jar";

  /**
   * SAM event types Lambda invokes asynchronously, and the poll-based ones with their own failure
   * target.
   */
  private static final Set<String> ASYNC_EVENTS =
      Set.of(
          "S3",
          "Schedule",
          "ScheduleV2",
          "CloudWatchEvent",
          "EventBridgeRule",
          "SNS",
          "CloudWatchLogs",
          "IoTRule");

  private static final Set<String> STREAM_EVENTS = Set.of("DynamoDB", "Kinesis");

  /** Poll-based queue events: failures go through the queue's own redrive policy. */
  private static final Set<String> QUEUE_EVENTS = Set.of("SQS");

  private final CfnTemplate template = CfnTemplate.load();

  @Test
  void theTemplateDeploysExactlyTheListedHandlers() {
    Map<String, String> named = new LinkedHashMap<>();
    template
        .resourcesOfType("AWS::Serverless::Function")
        .forEach((id, fn) -> named.put(id, (String) properties(fn).get("Handler")));

    assertThat(named).isEqualTo(HANDLERS);
  }

  @Test
  void everyHandlerNamedInTheTemplateExistsAndLoads() {
    List<String> handlers =
        template.resourcesOfType("AWS::Serverless::Function").values().stream()
            .map(fn -> (String) properties(fn).get("Handler"))
            .toList();
    assertThat(handlers).isNotEmpty().allSatisfy(h -> assertThat(h).contains("::"));

    List<String> problems = new ArrayList<>();
    for (String handler : handlers) {
      String className = handler.substring(0, handler.indexOf("::"));
      String methodName = handler.substring(handler.indexOf("::") + 2);
      Class<?> type;
      try {
        // Initialised, as Lambda does: a static initialiser that throws fails here, not in AWS.
        type = Class.forName(className, true, getClass().getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        // A function without code would fail on every invocation (and alarm every day).
        problems.add(className + " does not exist or does not load: " + e);
        continue;
      }
      // Lambda instantiates the handler with its public no-argument constructor.
      if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
        problems.add(className + " is not a public concrete class");
      }
      try {
        assertThat(type.getConstructor()).isNotNull();
      } catch (NoSuchMethodException e) {
        problems.add(className + " has no public no-argument constructor");
      }
      boolean hasMethod = false;
      for (Method m : type.getMethods()) {
        hasMethod |= m.getName().equals(methodName) && !Modifier.isStatic(m.getModifiers());
      }
      if (!hasMethod) {
        problems.add(className + " has no public method " + methodName);
      }
      boolean lambdaHandler = false;
      for (Class<?> i : allInterfaces(type)) {
        lambdaHandler |=
            i.getName().equals("com.amazonaws.services.lambda.runtime.RequestStreamHandler")
                || i.getName().equals("com.amazonaws.services.lambda.runtime.RequestHandler");
      }
      if (!lambdaHandler) {
        problems.add(className + " implements neither RequestStreamHandler nor RequestHandler");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyFunctionRunsJava21OnArmFromTheMavenArtefact() {
    for (String id : HANDLERS.keySet()) {
      Map<String, Object> p = template.functionProperties(id);
      assertThat(p.get("Runtime")).as(id).isEqualTo("java21");
      assertThat(p.get("Architectures")).as(id).isEqualTo(List.of("arm64"));
      assertThat(p.get("CodeUri")).as(id).isEqualTo(ARTEFACT);
      assertThat(p.get("MemorySize")).as(id).isInstanceOf(Integer.class);
      assertThat(p.get("Timeout")).as(id).isInstanceOf(Integer.class);
      assertThat((Integer) p.get("Timeout")).as(id).isBetween(1, 900);
    }
  }

  @Test
  void everyFunctionStartsWithTheC1CompilerOnlyAndNoSnapStart() {
    // ADR 0220: what bench coldstart measures is what Lambda runs. SnapStart stays off while the
    // working keys are derived at init (a snapshot would hold them, P3).
    for (String id : HANDLERS.keySet()) {
      assertThat(template.environment(id).get(JVM_OPTIONS))
          .as(id)
          .isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
      assertThat(template.functionProperties(id)).as(id).doesNotContainKey("SnapStart");
    }
  }

  @Test
  void everyFunctionGetsEveryVariableItsConfigurationReadsAndNoneItDoesNot() {
    // Each function's own list: a variable its code reads but the template does not give it fails
    // here (the TTL-evidence function once fell back to a default this way), and so does one set
    // for a function that does not read it. The Globals are shared: each must be read by some
    // function that gets it.
    Set<String> functions = template.resourcesOfType("AWS::Serverless::Function").keySet();
    assertThat(functions).containsExactlyInAnyOrderElementsOf(VARIABLES.keySet());
    Set<String> globals = new TreeSet<>(template.globalEnvironment().keySet());
    globals.remove(JVM_OPTIONS); // the JVM's, not a configuration's
    Set<String> readByAny = new TreeSet<>();
    for (String id : functions) {
      Set<String> reads = VARIABLES.get(id);
      readByAny.addAll(reads);
      assertThat(template.environment(id).keySet()).as(id).containsAll(reads);
      Set<String> own = new TreeSet<>(template.environment(id).keySet());
      own.removeAll(globals);
      own.remove(JVM_OPTIONS);
      assertThat(reads).as(id + "'s own variables").containsAll(own);
    }
    assertThat(readByAny).containsAll(globals);
  }

  @Test
  void everyFunctionWritingEvidenceOfDestructionKeepsItForTheSameAuditRetention() {
    // The sweep (DESTRUCTION, RESTAMP) and the TTL-evidence function (TTL_DELETIONS) both write
    // evidence of destruction; one parameter must govern both, or one outlives the other.
    for (String id : List.of("RetentionSweepFunction", "TtlEvidenceFunction")) {
      assertThat(template.environment(id).get(FunctionConfig.AUDIT_RETENTION_YEARS))
          .as(id)
          .isEqualTo(Map.of("Ref", "AuditRetentionYears"));
    }
    assertThat(TtlEvidenceConfig.VARIABLES).contains(FunctionConfig.AUDIT_RETENTION_YEARS);
    assertThat(SweepConfig.VARIABLES).contains(FunctionConfig.AUDIT_RETENTION_YEARS);
  }

  @Test
  void theSweepsOwnVariablesComeFromParametersWhoseValuesTheSweepAccepts() {
    Map<String, Object> env = template.environment("RetentionSweepFunction");
    assertThat(env.get(FunctionConfig.SWEEP_EARLIEST_MONTH))
        .isEqualTo(Map.of("Ref", "SweepEarliestMonth"));
    assertThat(env.get(FunctionConfig.AUDIT_RETENTION_YEARS))
        .isEqualTo(Map.of("Ref", "AuditRetentionYears"));

    Map<String, Object> month = map(template.section("Parameters").get("SweepEarliestMonth"));
    String pattern = (String) month.get("AllowedPattern");
    assertThat((String) month.get("Default"))
        .matches(pattern)
        .satisfies(
            d ->
                assertThat(java.time.YearMonth.parse(d))
                    .isBetween(java.time.YearMonth.of(2020, 1), java.time.YearMonth.of(2026, 12)));
    assertThat("2024-13").doesNotMatch(pattern);
    assertThat("24-01").doesNotMatch(pattern);
    assertThat("2024-1").doesNotMatch(pattern);

    Map<String, Object> years = map(template.section("Parameters").get("AuditRetentionYears"));
    assertThat(years.get("Default")).isEqualTo(1);
    assertThat(years.get("Type")).isEqualTo("Number");
    // Whole numbers the sweep's parser accepts (0..100); at least one year of destruction evidence.
    assertThat(list(years.get("AllowedValues")))
        .isNotEmpty()
        .contains(1)
        .allMatch(v -> v instanceof Integer n && n >= 1 && n <= 100);
  }

  @Test
  void environmentValuesComeFromParametersAndResourcesNeverLiterals() {
    for (String id : HANDLERS.keySet()) {
      template
          .environment(id)
          .forEach(
              (name, value) -> {
                // The one literal: which purpose an outputs function serves is what it is, not
                // deployment configuration (the Purposes parameter decides whether it exists).
                // The JVM flags are code, not deployment configuration either.
                if (!name.equals(FamilyOutputsConfig.PURPOSE) && !name.equals(JVM_OPTIONS)) {
                  assertThat(value).as(id + " " + name).isInstanceOf(Map.class);
                }
              });
    }
    assertThat(template.environment("IdentificationFunction").get(FamilyOutputsConfig.PURPOSE))
        .isEqualTo("IDENTIFICATION");
    assertThat(template.environment("EvaluationFunction").get(FamilyOutputsConfig.PURPOSE))
        .isEqualTo("EVALUATION");
    Map<String, Object> env = template.environment("IngestFunction");
    assertThat(env.get("FAMILYLINK_TABLE")).isEqualTo(Map.of("Ref", "LinkedTable"));
    assertThat(env.get("FAMILYLINK_AUDIT_TABLE")).isEqualTo(Map.of("Ref", "AuditTable"));
    assertThat(env.get("FAMILYLINK_PROGRAMME_END")).isEqualTo(Map.of("Ref", "ProgrammeEndDate"));
    assertThat(env.get("FAMILYLINK_RETENTION_YEARS")).isEqualTo(Map.of("Ref", "RetentionYears"));
    assertThat(env.get("FAMILYLINK_MAX_INVALID_SHARE")).isEqualTo(Map.of("Ref", "MaxInvalidShare"));
    // Own variables must not shadow the Globals (a function told another table or key).
    for (String id : HANDLERS.keySet()) {
      Map<String, Object> own =
          map(map(properties(template.resource(id)).get("Environment")).get("Variables"));
      assertThat(own.keySet())
          .as(id)
          .doesNotContain(
              "FAMILYLINK_TABLE",
              "FAMILYLINK_AUDIT_TABLE",
              "FAMILYLINK_ROOT_KEY_ID",
              "FAMILYLINK_LANDING_BUCKET",
              "FAMILYLINK_PROGRAMME_END",
              "FAMILYLINK_RETENTION_YEARS",
              "FAMILYLINK_SSE_KMS_KEY_ID");
    }
  }

  @Test
  void theLandingBucketNameIsDerivedTheSameWayEverywhere() {
    Object bucketName = properties(template.resource("LandingBucket")).get("BucketName");

    assertThat(CfnTemplate.text(bucketName)).isEqualTo(CfnTemplate.LANDING_BUCKET_NAME);
    assertThat(
            CfnTemplate.text(
                template.environment("IngestFunction").get("FAMILYLINK_LANDING_BUCKET")))
        .isEqualTo(CfnTemplate.LANDING_BUCKET_NAME);
    // Every S3 resource that spells out an ARN spells this bucket (or a resource reference).
    template.identityStatements().stream()
        .flatMap(s -> s.resources().stream())
        .filter(r -> r.startsWith("arn:${AWS::Partition}:s3:::"))
        .forEach(r -> assertThat(r).startsWith(CfnTemplate.LANDING_BUCKET_ARN));
  }

  @Test
  void ingestRunsForEveryObjectCreatedUnderIncoming() {
    Map<String, Object> events = map(properties(template.resource("IngestFunction")).get("Events"));
    List<Map<String, Object>> s3 =
        events.values().stream()
            .map(CfnTemplate::map)
            .filter(e -> "S3".equals(e.get("Type")))
            .toList();

    assertThat(s3).hasSize(1);
    Map<String, Object> p = map(s3.get(0).get("Properties"));
    assertThat(p.get("Bucket")).isEqualTo(Map.of("Ref", "LandingBucket"));
    assertThat(CfnTemplate.strings(p.get("Events"))).containsExactly("s3:ObjectCreated:*");
    List<Object> rules = list(map(map(p.get("Filter")).get("S3Key")).get("Rules"));
    assertThat(rules).containsExactly(Map.of("Name", "prefix", "Value", "incoming/"));
  }

  @Test
  void everyAsynchronousFunctionHasAFailureTarget() {
    Set<String> asyncFunctions = new TreeSet<>();
    Set<String> streamFunctions = new TreeSet<>();
    Set<String> queueFunctions = new TreeSet<>();
    template
        .resourcesOfType("AWS::Serverless::Function")
        .forEach(
            (id, fn) -> {
              Map<String, Object> p = properties(fn);
              for (Object e : map(p.get("Events")).values()) {
                String type = (String) map(e).get("Type");
                if (ASYNC_EVENTS.contains(type)) {
                  asyncFunctions.add(id);
                } else if (STREAM_EVENTS.contains(type)) {
                  streamFunctions.add(id);
                  Object destination =
                      map(map(map(map(e).get("Properties")).get("DestinationConfig"))
                              .get("OnFailure"))
                          .get("Destination");
                  assertThat(references(destination, "FailureQueue"))
                      .as(id + " stream failure target")
                      .isTrue();
                } else if (QUEUE_EVENTS.contains(type)) {
                  queueFunctions.add(id);
                  Object queue = map(map(e).get("Properties")).get("Queue");
                  assertThat(references(queue, "ContinuationQueue")).as(id + " queue").isTrue();
                  Object target =
                      map(properties(template.resource("ContinuationQueue")).get("RedrivePolicy"))
                          .get("deadLetterTargetArn");
                  assertThat(references(target, "FailureQueue"))
                      .as(id + " queue redrive target")
                      .isTrue();
                } else if (type != null) {
                  fail(id + " has an event type this test does not classify: " + type);
                }
              }
              if (asyncFunctions.contains(id)) {
                Object onFailure =
                    map(map(map(p.get("EventInvokeConfig")).get("DestinationConfig"))
                            .get("OnFailure"))
                        .get("Destination");
                Object dlq = map(p.get("DeadLetterQueue")).get("TargetArn");
                assertThat(references(onFailure, "FailureQueue") || references(dlq, "FailureQueue"))
                    .as(id + " async failure target")
                    .isTrue();
              }
            });

    assertThat(asyncFunctions)
        .containsExactlyInAnyOrder(
            "IngestFunction",
            "RetentionSweepFunction",
            "StatisticsFunction",
            "IdentificationFunction",
            "EvaluationFunction");
    assertThat(streamFunctions).containsExactly("TtlEvidenceFunction");
    assertThat(queueFunctions).containsExactly("IngestFunction");
  }

  @Test
  void largeFilesContinueThroughTheirOwnQueueOneMessageAtATime() {
    Map<String, Object> events = map(properties(template.resource("IngestFunction")).get("Events"));
    Map<String, Object> sqs =
        events.values().stream()
            .map(CfnTemplate::map)
            .filter(e -> "SQS".equals(e.get("Type")))
            .findFirst()
            .orElseThrow();
    assertThat(references(map(sqs.get("Properties")).get("Queue"), "ContinuationQueue")).isTrue();
    assertThat(map(sqs.get("Properties"))).containsEntry("BatchSize", 1);
    Map<String, Object> queue = properties(template.resource("ContinuationQueue"));
    assertThat(((Number) queue.get("VisibilityTimeout")).intValue())
        .as("no redelivery while an invocation may still run")
        .isGreaterThanOrEqualTo(
            ((Number) template.functionProperties("IngestFunction").get("Timeout")).intValue());
    assertThat(template.environment("IngestFunction"))
        .containsEntry(
            uk.familylink.handler.IngestHandler.CONTINUATION_QUEUE_URL,
            Map.of("Ref", "ContinuationQueue"));
  }

  @Test
  void ttlEvidenceReadsOnlyTheLinkedTablesTtlRemovalsWithBoundedRetries() {
    Map<String, Object> p = template.functionProperties("TtlEvidenceFunction");
    List<Map<String, Object>> events =
        map(p.get("Events")).values().stream().map(CfnTemplate::map).toList();

    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get("Type")).isEqualTo("DynamoDB");
              Map<String, Object> ep = map(e.get("Properties"));
              assertThat(CfnTemplate.text(ep.get("Stream"))).isEqualTo("${LinkedTable.StreamArn}");
              // The stream keeps 24 hours: start from the oldest record so no deletion goes
              // uncounted.
              assertThat(ep.get("StartingPosition")).isEqualTo("TRIM_HORIZON");
              assertThat((Integer) ep.get("BatchSize")).isBetween(1, 1000);
              assertThat(ep.get("BisectBatchOnFunctionError")).isEqualTo(true);
              // Bounded: a poison batch must reach the failure queue, not block the shard for 24
              // hours.
              assertThat((Integer) ep.get("MaximumRetryAttempts")).isBetween(1, 10);
              String pattern =
                  (String)
                      map(list(map(ep.get("FilterCriteria")).get("Filters")).get(0)).get("Pattern");
              assertThat(pattern)
                  .contains("\"eventName\": [\"REMOVE\"]")
                  .contains("\"dynamodb.amazonaws.com\"")
                  .contains("\"Service\"");
            });
    assertThat(p.get("MemorySize")).isEqualTo(512);
    assertThat(p.get("Timeout")).isEqualTo(60);
  }

  @Test
  void theSweepRunsDailyAndHasTimeLeftAfterItsSafetyMargin() {
    Map<String, Object> p = template.functionProperties("RetentionSweepFunction");
    List<Map<String, Object>> events =
        map(p.get("Events")).values().stream().map(CfnTemplate::map).toList();

    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get("Type")).isEqualTo("Schedule");
              String schedule = (String) map(e.get("Properties")).get("Schedule");
              // cron(minutes hours day-of-month month day-of-week year): once a day, every day.
              assertThat(schedule).matches("cron\\(\\d{1,2} \\d{1,2} \\* \\* \\? \\*\\)");
            });
    // The sweep stops starting work this long before the deadline; the timeout must leave real work
    // time.
    long margin =
        SweepSettings.defaults(new RetentionPolicy(LocalDate.of(2026, 3, 31), 6), "bucket")
            .safetyMargin()
            .toSeconds();
    assertThat((Integer) p.get("Timeout")).isGreaterThanOrEqualTo((int) (margin * 10));
  }

  @Test
  void subjectAccessHasNoTriggerAndAnswersWithinTheCliReadTimeout() {
    Map<String, Object> p = template.functionProperties("SubjectAccessFunction");

    // Invoked only directly, by the DPO's role: no event source, no function URL.
    assertThat(p).doesNotContainKeys("Events", "FunctionUrlConfig", "AutoPublishAlias");
    assertThat(template.resourcesOfType("AWS::Lambda::Url")).isEmpty();
    assertThat(template.resourcesOfType("AWS::Lambda::Permission")).isEmpty();
    // The AWS CLI's default read timeout is 60 s and it retries a timed-out call: a longer
    // function could run (and be audited) twice for one request.
    assertThat((Integer) p.get("Timeout")).isLessThan(60);
  }

  @Test
  void failuresRaiseAnAlarmThatEmailsTheAlarmAddress() {
    List<Map<String, Object>> alarms =
        template.resourcesOfType("AWS::CloudWatch::Alarm").values().stream()
            .map(CfnTemplate::properties)
            .filter(
                a ->
                    list(a.get("Dimensions")).stream()
                        .map(CfnTemplate::map)
                        .anyMatch(
                            d ->
                                "QueueName".equals(d.get("Name"))
                                    && references(d.get("Value"), "FailureQueue")))
            .toList();

    assertThat(alarms).hasSize(1);
    Map<String, Object> alarm = alarms.get(0);
    assertThat(alarm.get("MetricName")).isEqualTo("ApproximateNumberOfMessagesVisible");
    assertThat(alarm.get("Threshold")).isEqualTo(1);
    assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanOrEqualToThreshold");
    assertThat(list(alarm.get("AlarmActions"))).containsExactly(Map.of("Ref", "AlarmTopic"));
    assertThat(template.resourcesOfType("AWS::SNS::Subscription").values())
        .anySatisfy(
            s -> {
              Map<String, Object> p = properties(s);
              assertThat(p.get("TopicArn")).isEqualTo(Map.of("Ref", "AlarmTopic"));
              assertThat(p.get("Protocol")).isEqualTo("email");
              assertThat(p.get("Endpoint")).isEqualTo(Map.of("Ref", "AlarmEmail"));
            });
  }

  @Test
  void everyFunctionLogsToItsOwnLogGroupWithRetentionAndCanWriteOnlyThere() {
    Set<String> logGroups = new TreeSet<>();
    for (String id : HANDLERS.keySet()) {
      Map<String, Object> p = properties(template.resource(id));
      String group = CfnTemplate.text(map(p.get("LoggingConfig")).get("LogGroup"));
      assertThat(group).as(id).matches("\\$\\{[A-Za-z]+LogGroup}");
      String groupId = group.substring(2, group.length() - 1);
      logGroups.add(groupId);

      Map<String, Object> lg = template.resource(groupId);
      assertThat(lg.get("Type")).isEqualTo("AWS::Logs::LogGroup");
      assertThat(properties(lg).get("RetentionInDays"))
          .as(groupId)
          .isEqualTo(Map.of("Ref", "LogRetentionDays"));
      String role = CfnTemplate.text(p.get("Role"));
      String roleId = role.substring(2, role.indexOf('.'));
      assertThat(template.rolePolicy(roleId))
          .filteredOn(s -> s.actions().stream().anyMatch(a -> a.startsWith("logs:")))
          .singleElement()
          .satisfies(s -> assertThat(s.resources()).containsExactly("${" + groupId + ".Arn}"));
    }
    assertThat(logGroups).hasSize(HANDLERS.size());
    // And no log group outlives its function.
    assertThat(template.resourcesOfType("AWS::Logs::LogGroup").keySet())
        .containsExactlyInAnyOrderElementsOf(logGroups);
    assertThat(map(template.section("Parameters").get("LogRetentionDays")).get("AllowedValues"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .isNotEmpty()
        .allMatch(d -> d instanceof Integer days && days > 0);
  }

  private static Set<Class<?>> allInterfaces(Class<?> type) {
    Set<Class<?>> out = new java.util.HashSet<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        out.add(i);
        out.addAll(allInterfaces(i));
      }
    }
    return out;
  }
}
