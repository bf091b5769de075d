package uk.familylink.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import uk.familylink.handler.SubjectAccessHandler;

/**
 * Subject access on the local tool. Its stores exist for one run only, so the command first ingests
 * the extracts given with {@code --extract} into a fresh embedded environment, then sends the
 * request to the real subject access handler and prints its answer.
 */
@Command(
    name = "access",
    mixinStandardHelpOptions = true,
    description = {
      "Subject access: everything held about one person, as a readable report (or JSON with --json).",
      "Reads the workspace (or the running serve's stores); --extract <dataset>=<file.csv> (repeatable) ingests",
      "an extract through the real handler first. The request goes to the real subject access handler, which",
      "audits it (requester, purpose, counts; never the identifiers).",
      "Identifiers (any of them; names need --date-of-birth):",
      "  --nhs-number 10 digits, spaces allowed   --nino e.g. QQ123456C   --upn 13 characters",
      "  --uln 10 digits   --pnc-id e.g. 01/4242A or 2001/0004242A",
      "  --given-name, --family-name with --date-of-birth (yyyy-MM-dd or dd/MM/yyyy) [--postcode] [--address-line]",
      "The person is found by the ingest's own rules (identifiers, exact names, tier-3 scores); the answer says how.",
      "Identifiers typed on a command line can end up in shell history: use this with synthetic data;",
      "in a deployment the DPO invokes the access function with a request payload instead.",
      "Exit status: 0 answered (perhaps with nothing held), 2 refused or a usage error (the message says which field and why)."
    })
final class AccessCommand implements Callable<Integer> {

  static final int REFUSED = 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--extract",
      paramLabel = "DATASET=FILE",
      description = "An extract to ingest first, e.g. health=health.csv (repeatable).")
  Map<String, Path> extracts = new LinkedHashMap<>();

  @Option(names = "--nhs-number", description = "NHS number: 10 digits, e.g. \"943 476 5919\".")
  String nhsNumber;

  @Option(names = "--nino", description = "National Insurance number, e.g. QQ123456C.")
  String nino;

  @Option(names = "--upn", description = "Unique pupil number: 13 characters.")
  String upn;

  @Option(names = "--uln", description = "Unique learner number: 10 digits.")
  String uln;

  @Option(names = "--pnc-id", description = "Police National Computer ID, e.g. 01/4242A.")
  String pncId;

  @Option(names = "--given-name", description = "With --family-name and --date-of-birth.")
  String givenName;

  @Option(names = "--family-name", description = "With --given-name and --date-of-birth.")
  String familyName;

  @Option(names = "--date-of-birth", description = "yyyy-MM-dd or dd/MM/yyyy")
  String dateOfBirth;

  @Option(names = "--postcode")
  String postcode;

  @Option(
      names = "--address-line",
      description = "House number or name and street, e.g. \"12 High Street\" (with the names).")
  String addressLine;

  @Option(names = "--requester", description = "Who asks (recorded in the audit).")
  String requester;

  @Option(names = "--purpose", description = "Why (recorded in the audit).")
  String purpose;

  @Option(
      names = "--json",
      description = "Print the answer as JSON instead of the readable report.")
  boolean json;

  @Mixin WorkspaceOptions workspace = new WorkspaceOptions();

  @Override
  public Integer call() throws Exception {
    Clock clock = Clock.systemUTC();
    try (LocalSession session =
        LocalSession.open(workspace, LocalCommands.embedded(), clock, true)) {
      LocalFamilyLink familyLink = session.familyLink();
      LocalExtracts.ingest(familyLink, extracts, clock, System.err);
      SubjectAccessHandler handler = new SubjectAccessHandler(familyLink.subjectAccess(clock));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(request())), out, null);
      JsonNode response = JSON.readTree(out.toByteArray());
      if (!"ANSWERED".equals(response.path("status").asText())) {
        System.err.println(
            "familylink access: refused: " + response.path("error").path("message").asText());
        return REFUSED;
      }
      if (json) {
        System.out.println(
            JSON.writerWithDefaultPrettyPrinter().writeValueAsString(response.path("answer")));
      } else {
        System.out.print(response.path("report").asText());
      }
      return 0;
    }
  }

  /** The request exactly as the access function receives it. */
  ObjectNode request() {
    ObjectNode request = JSON.createObjectNode();
    if (requester != null) {
      request.put("requester", requester);
    }
    if (purpose != null) {
      request.put("purpose", purpose);
    }
    ObjectNode ids = request.putObject("identifiers");
    Map<String, String> given = new LinkedHashMap<>();
    given.put("nhsNumber", nhsNumber);
    given.put("nino", nino);
    given.put("upn", upn);
    given.put("uln", uln);
    given.put("pncId", pncId);
    given.put("givenName", givenName);
    given.put("familyName", familyName);
    given.put("dateOfBirth", dateOfBirth);
    given.put("postcode", postcode);
    given.put("addressLine", addressLine);
    given.forEach(
        (k, v) -> {
          if (v != null) {
            ids.put(k, v);
          }
        });
    return request;
  }
}
