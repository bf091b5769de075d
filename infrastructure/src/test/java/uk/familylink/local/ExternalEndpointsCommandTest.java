package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import uk.familylink.adapter.aws.MotoServer;
import uk.familylink.domain.identifier.CheckDigits;

/**
 * The commands against services already running elsewhere (moto: real S3, DynamoDB and KMS APIs
 * over HTTP): nothing embedded is started, the working keys come from a KMS HMAC key, and what one
 * command stored the next one reads.
 */
class ExternalEndpointsCommandTest {

  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @TempDir Path dir;

  private String run(int expectedExit, String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(FamilyLinkCli.commandLine().execute(args)).isEqualTo(expectedExit);
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void accessAndAuditRunAgainstMotoWithKeysFromKms() throws Exception {
    String endpoint = MOTO.endpoint().uri().toString();
    String pnc = CheckDigits.pncId(2001, 6161);
    Path extract =
        Files.writeString(
            dir.resolve("police.csv"),
            "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role\n"
                + "PR-1,"
                + pnc
                + ",Alex,Example,1990-01-01,HR1 2AB,2026-01-05,OFFENCE,SUSPECT\n");
    String[] external = {
      "--home", dir.resolve("home").toString(),
      "--s3-endpoint", endpoint,
      "--dynamodb-endpoint", endpoint,
      "--kms-endpoint", endpoint
    };

    String report =
        run(
            0,
            concat(
                new String[] {"access", "--extract", "police-incidents=" + extract},
                external,
                new String[] {"--pnc-id", pnc, "--requester", "DPO", "--purpose", "moto"}));
    String listed =
        run(
            0,
            concat(
                new String[] {
                  "audit", "--from", LocalDate.now(ZoneOffset.UTC).toString(), "--kind", "INGEST"
                },
                external));

    assertThat(report).contains("police-incidents").doesNotContain(pnc);
    assertThat(listed).contains("outcome=ACCEPTED");
    // The keys were derived by KMS, from the key the tool created under its alias.
    assertThat(
            MOTO.endpoint()
                .kms()
                .describeKey(b -> b.keyId(LocalSession.LOCAL_ROOT_KEY_ALIAS))
                .keyMetadata()
                .keySpecAsString())
        .isEqualTo("HMAC_256");
    // Nothing embedded kept data in the workspace.
    assertThat(dir.resolve("home").resolve("dynamodb")).doesNotExist();
    assertThat(dir.resolve("home").resolve("root.key")).doesNotExist();
  }

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }
}
