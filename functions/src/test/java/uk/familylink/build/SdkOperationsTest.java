package uk.familylink.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The static half of the slim Lambda jar's safety (ADR 0220): every AWS SDK operation the
 * functions' code calls — on a service client, through a paginator or a waiter, directly or by
 * method reference — is kept by the operations file, so none of them is a stub in the jar. A new
 * call to an operation that is not listed fails here, before anything is deployed.
 */
class SdkOperationsTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("uk.familylink");

  private static final Pattern CLIENT =
      Pattern.compile("software\\.amazon\\.awssdk\\.services\\.([a-z0-9]+)\\.[A-Za-z0-9]+Client");

  /** What each waiter polls with (the SDK's generated waiters). */
  private static final Map<String, Set<String>> WAITERS =
      Map.of(
          "software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter",
              Set.of("dynamodb DescribeTable"),
          "software.amazon.awssdk.services.s3.waiters.S3Waiter",
              Set.of("s3 HeadBucket", "s3 HeadObject"));

  /** Kept without a call site in our code: the SDK calls them itself on paths we do not take. */
  private static final Set<String> CALLED_BY_THE_SDK =
      Set.of("s3 CreateSession", "dynamodb DescribeEndpoints");

  @Test
  void everyOperationTheCodeCallsIsKept() throws Exception {
    Set<String> called = called();
    Set<String> kept = kept();

    assertThat(called)
        .as("the scan finds the calls it must (so an empty result cannot pass)")
        .contains("s3 GetObject", "s3 ListObjectsV2", "dynamodb Query", "kms GenerateMac")
        .contains("sqs SendMessage", "dynamodb DescribeTable");
    assertThat(kept)
        .as("operations called in src/main that src/lambda/sdk-operations.txt does not keep")
        .containsAll(called);
    Set<String> uncalled = new TreeSet<>(kept);
    uncalled.removeAll(called);
    assertThat(uncalled)
        .as("kept but called by nothing: drop them from the operations file")
        .isSubsetOf(CALLED_BY_THE_SDK);
  }

  @Test
  void aPaginatorCallNeedsItsOperationAndAClientBuilderIsNoOperation() {
    assertThat(operation("s3", "listObjectsV2Paginator")).isEqualTo("ListObjectsV2");
    assertThat(operation("dynamodb", "queryPaginator")).isEqualTo("Query");
    assertThat(operation("s3", "builder")).isNull();
    assertThat(operation("s3", "serviceClientConfiguration")).isNull();
    assertThat(operation("dynamodb", "waiter")).isNull();
  }

  static Set<String> kept() throws Exception {
    Set<String> kept = new TreeSet<>();
    SdkOperations.read(SdkOperations.FILE)
        .forEach((service, ops) -> ops.forEach(op -> kept.add(service + " " + op)));
    return kept;
  }

  private static Set<String> called() {
    Set<String> called = new TreeSet<>();
    for (JavaClass c : MAIN) {
      for (JavaAccess<?> access : c.getAccessesFromSelf()) {
        AccessTarget target = access.getTarget();
        String owner = target.getOwner().getName();
        if (WAITERS.containsKey(owner)) {
          called.addAll(WAITERS.get(owner));
          continue;
        }
        Matcher m = CLIENT.matcher(owner);
        if (m.matches()) {
          String op = operation(m.group(1), target.getName());
          if (op != null) {
            called.add(m.group(1) + " " + op);
          }
        }
      }
    }
    return called;
  }

  /**
   * The operation a client method runs ({@code listObjectsV2Paginator} -> {@code ListObjectsV2}),
   * or null when the method is none (builder, close, waiter, utilities...): an operation is a
   * method whose name, capitalised, has a request class in the service's model package.
   */
  static String operation(String service, String method) {
    String name =
        method.endsWith("Paginator")
            ? method.substring(0, method.length() - "Paginator".length())
            : method;
    if (name.isEmpty()) {
      return null;
    }
    String op = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    try {
      Class.forName(
          "software.amazon.awssdk.services." + service + ".model." + op + "Request",
          false,
          SdkOperationsTest.class.getClassLoader());
      return op;
    } catch (ClassNotFoundException e) {
      return null;
    }
  }
}
