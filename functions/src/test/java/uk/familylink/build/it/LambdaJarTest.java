package uk.familylink.build.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.familylink.build.LambdaJarSlimmer;
import uk.familylink.build.LinkCheck;

/**
 * The slim Lambda jar (ADR 0220), as packaged: every class in it loads and links in a fresh JVM
 * that sees nothing but the jar, except those that did not link in the unslimmed jar either (SDK
 * classes for optional libraries the jar does not carry); the SDK clients, the handlers and our
 * classes are among those that link. A jar with an operation's request class left out instead of
 * stubbed fails the same check (the check can see the failure slimming must avoid). That the
 * handlers also construct and handle an event from this jar against moto is {@code bench
 * coldstart}'s test ({@code ColdStartBenchCommandTest}).
 */
class LambdaJarTest {

  private static final Path SLIM = Path.of("target/familylink-functions-lambda.jar");
  private static final Path UNSLIMMED = Path.of("target/familylink-functions-lambda-unslimmed.jar");

  private static final List<String> MUST_LINK =
      List.of(
          "software.amazon.awssdk.services.s3.DefaultS3Client",
          "software.amazon.awssdk.services.dynamodb.DefaultDynamoDbClient",
          "software.amazon.awssdk.services.kms.DefaultKmsClient",
          "software.amazon.awssdk.services.sqs.DefaultSqsClient",
          "software.amazon.awssdk.services.s3.model.GetObjectRequest",
          "software.amazon.awssdk.services.dynamodb.model.QueryResponse",
          "uk.familylink.handler.IngestHandler",
          "uk.familylink.handler.SubjectAccessHandler",
          "uk.familylink.handler.FamilyOutputsHandler",
          "uk.familylink.handler.StatisticsHandler",
          "uk.familylink.handler.ResearchReleaseHandler",
          "uk.familylink.handler.RetentionSweepHandler",
          "uk.familylink.handler.TtlEvidenceHandler",
          "uk.familylink.handler.ReviewHandler");

  @Test
  void everyClassOfTheSlimJarLinksThatLinkedBefore() throws Exception {
    assertThat(SLIM).as("built by mvn package").isRegularFile();
    assertThat(UNSLIMMED).isRegularFile();
    assertThat(Files.size(SLIM))
        .as("issue 13: the Lambda jar is at most 15 MB")
        .isLessThanOrEqualTo(15_000_000L);

    Result before = linkCheck(UNSLIMMED);
    Result after = linkCheck(SLIM);

    assertThat(after.linked()).as("the slim jar still has its classes").isGreaterThan(5_000);
    assertThat(after.failed())
        .as("classes that link in the unslimmed jar but not in the slim one")
        .isSubsetOf(before.failed());
    assertThat(after.failed()).doesNotContainAnyElementsOf(MUST_LINK);
    for (String name : MUST_LINK) {
      assertThat(entry(SLIM, name)).as(name + " is in the jar").isTrue();
    }
  }

  @Test
  void aRequestClassLeftOutInsteadOfStubbedBreaksTheClient(@TempDir Path tmp) throws Exception {
    Path broken = tmp.resolve("broken.jar");
    String removed = "software/amazon/awssdk/services/s3/model/PutBucketPolicyRequest.class";
    copyWithout(SLIM, broken, removed);

    Result r = linkCheck(broken);

    assertThat(r.failed()).contains("software.amazon.awssdk.services.s3.DefaultS3Client");
  }

  @Test
  void theSlimmerRefusesAnOperationTheSdkDoesNotHave(@TempDir Path tmp) throws Exception {
    Path copy = tmp.resolve("copy.jar");
    Files.copy(UNSLIMMED, copy);

    assertThatThrownBy(() -> LambdaJarSlimmer.slim(copy, Map.of("s3", Set.of("GetObjekt"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GetObjekt");
  }

  @Test
  void anOperationLeftOffTheListIsAStubInTheJar(@TempDir Path tmp) throws Exception {
    Path copy = tmp.resolve("copy.jar");
    Files.copy(UNSLIMMED, copy);

    LambdaJarSlimmer.Summary s =
        LambdaJarSlimmer.slim(copy, Map.of("sqs", Set.of("ReceiveMessage")));

    assertThat(s.operationsKept()).containsEntry("sqs", 1);
    assertThat(s.bytesAfter()).isLessThan(s.bytesBefore());
    assertThat(
            classSize(copy, "software/amazon/awssdk/services/sqs/model/SendMessageRequest.class"))
        .as("SendMessage is not kept: its request is a member-less stub")
        .isLessThan(400);
    assertThat(
            classSize(
                copy, "software/amazon/awssdk/services/sqs/model/ReceiveMessageRequest.class"))
        .as("the kept operation's request is whole")
        .isGreaterThan(4_000);
  }

  record Result(int linked, Set<String> failed) {}

  private static long classSize(Path jar, String entry) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().equals(entry)) {
          return zip.readAllBytes().length;
        }
      }
    }
    throw new AssertionError(entry + " is not in " + jar);
  }

  private static Result linkCheck(Path jar) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes = Path.of("target/test-classes").toAbsolutePath().toString();
    Process p =
        new ProcessBuilder(
                java,
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classes,
                LinkCheck.class.getName(),
                jar.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    Set<String> failed = new TreeSet<>();
    int linked = -1;
    for (String line : output.lines().toList()) {
      if (line.startsWith("FAILED ")) {
        failed.add(line.split(" ", 3)[1]);
      } else if (line.startsWith("LINKED ")) {
        linked = Integer.parseInt(line.split(" ", 3)[1].strip());
      }
    }
    assertThat(linked).as(output).isPositive();
    return new Result(linked, failed);
  }

  private static boolean entry(Path jar, String className) throws IOException {
    String wanted = className.replace('.', '/') + ".class";
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().equals(wanted)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void copyWithout(Path from, Path to, String removed) throws IOException {
    List<String> seen = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
        OutputStream os = Files.newOutputStream(to);
        ZipOutputStream out = new ZipOutputStream(os)) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.getName().equals(removed)) {
          seen.add(e.getName());
          continue;
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(in.readAllBytes());
        out.closeEntry();
      }
    }
    assertThat(seen).as("the class to leave out was in the jar").containsExactly(removed);
  }
}
