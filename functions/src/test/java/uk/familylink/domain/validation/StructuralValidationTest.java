package uk.familylink.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static uk.familylink.domain.validation.Extracts.POLICE_HEADER;
import static uk.familylink.domain.validation.Extracts.concat;
import static uk.familylink.domain.validation.Extracts.lines;
import static uk.familylink.domain.validation.Extracts.policeRow;
import static uk.familylink.domain.validation.Extracts.run;
import static uk.familylink.domain.validation.Extracts.utf8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import uk.familylink.domain.validation.Extracts.Result;
import uk.familylink.domain.validation.ValidationReport.FileIssue;
import uk.familylink.domain.validation.ValidationReport.Status;

class StructuralValidationTest {

  private static final String POLICE = "police-incidents";

  @Test
  void zeroBytesIsAnEmptyFile() {
    Result r = run(POLICE, new byte[0]);

    assertThat(r.report().status()).isEqualTo(Status.REJECTED);
    assertThat(r.report().fileIssues())
        .extracting(FileIssue::reason)
        .containsExactly(ReasonCode.EMPTY_FILE);
    assertThat(r.report().bytes()).isZero();
    assertThat(r.report().sha256()).isNull();
  }

  @Test
  void onlyBlankLinesAndABomHaveNoHeader() {
    Result r =
        run(POLICE, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("\n\r\n\n")));

    assertThat(r.report().fileIssues())
        .extracting(FileIssue::reason)
        .containsExactly(ReasonCode.MISSING_HEADER);
  }

  @Test
  void aValidFileIsAcceptedAndHashedOverEveryByte() throws Exception {
    byte[] bytes = utf8(lines(POLICE_HEADER, policeRow("R1"), policeRow("R2")));

    Result r = run(POLICE, bytes);

    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED);
    assertThat(r.report().rowsTotal()).isEqualTo(2);
    assertThat(r.report().rowsValid()).isEqualTo(2);
    assertThat(r.report().bytes()).isEqualTo(bytes.length);
    assertThat(r.report().sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(r.rows()).hasSize(2);
  }

  @Test
  void latin1BytesAreNotUtf8AndTheRowIsNamed() {
    // "Zoë" in ISO-8859-1 (0xEB) on data row 3
    byte[] bytes =
        concat(
            utf8(lines(POLICE_HEADER, policeRow("R1"), policeRow("R2"))),
            utf8("R3," + Extracts.PNC + ",Zo"),
            new byte[] {(byte) 0xEB},
            utf8(",Smith,2011-04-05,HR1 2AB,2025-05-01,OFFENCE,VICTIM\n"),
            utf8(lines(policeRow("R4"))));

    Result r = run(POLICE, bytes);

    assertThat(r.report().status()).isEqualTo(Status.REJECTED);
    assertThat(r.report().fileIssues())
        .containsExactly(new FileIssue(ReasonCode.NOT_UTF8, 3L, null, null));
  }

  @Test
  void latin1InTheHeaderIsReportedOnRowZero() {
    byte[] bytes =
        concat(
            utf8(
                "record_ref,pnc_id,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_r"),
            new byte[] {(byte) 0xF4},
            utf8("le\n"),
            utf8(lines(policeRow("R1"))));

    Result r = run(POLICE, bytes);

    assertThat(r.report().fileIssues())
        .containsExactly(new FileIssue(ReasonCode.NOT_UTF8, 0L, null, null));
  }

  @Test
  void utf16TextIsNotUtf8() {
    byte[] bytes =
        concat(
            new byte[] {(byte) 0xFF, (byte) 0xFE},
            POLICE_HEADER.getBytes(java.nio.charset.StandardCharsets.UTF_16LE));

    Result r = run(POLICE, bytes);

    assertThat(r.report().fileIssues())
        .extracting(FileIssue::reason)
        .containsExactly(ReasonCode.NOT_UTF8);
  }

  @Test
  void aSpreadsheetUploadedAsCsvIsBinary() {
    byte[] zip = concat(new byte[] {'P', 'K', 3, 4, 20, 0, 6, 0}, utf8("[Content_Types].xml"));

    Result r = run(POLICE, zip);

    assertThat(r.report().status()).isEqualTo(Status.REJECTED);
    assertThat(r.report().fileIssues())
        .extracting(FileIssue::reason)
        .containsExactly(ReasonCode.BINARY_CONTENT);
  }

  @Test
  void aNulByteFarIntoTheFileIsBinary() {
    StringBuilder s = new StringBuilder(POLICE_HEADER).append('\n');
    for (int i = 0; i < 500; i++) {
      s.append(policeRow("R" + i)).append('\n');
    }
    byte[] head = utf8(s.toString());
    assertThat(head.length).isGreaterThan(3 * ExtractReader.BINARY_SNIFF_BYTES);

    Result r = run(POLICE, concat(head, utf8("R501,"), new byte[] {0}, utf8(lines(",Amy"))));

    assertThat(r.report().fileIssues())
        .extracting(FileIssue::reason)
        .containsExactly(ReasonCode.BINARY_CONTENT);
  }

  @Test
  void aFirstLineOfDataIsAMissingHeader() {
    Result r = run(POLICE, lines(policeRow("R1"), policeRow("R2")));

    assertThat(r.report().status()).isEqualTo(Status.REJECTED);
    assertThat(r.report().fileIssues())
        .containsExactly(new FileIssue(ReasonCode.MISSING_HEADER, 0L, null, null));
    assertThat(r.report().expectedColumns()).startsWith("record_ref", "pnc_id");
    assertThat(r.rows()).isEmpty();
    assertThat(r.report().toJson()).doesNotContain("Amy", "Smith", "HR1 2AB");
    assertThat(r.report().toSummaryText()).doesNotContain("Amy", "Smith", "HR1 2AB");
  }

  @Test
  void aMissingColumnIsNamed() {
    String header = POLICE_HEADER.replace(",pnc_id", "");
    String row = "R1,Amy,Smith,2011-04-05,HR1 2AB,2025-05-01,OFFENCE,VICTIM";

    Result r = run(POLICE, lines(header, row));

    assertThat(r.report().status()).isEqualTo(Status.REJECTED);
    assertThat(r.report().fileIssues())
        .containsExactly(new FileIssue(ReasonCode.HEADER_MISSING_COLUMN, 0L, "pnc_id", null));
    assertThat(r.report().toSummaryText()).contains("\"pnc_id\"");
    assertThat(r.rows()).isEmpty();
  }

  @Test
  void anUnexpectedColumnIsReportedByPositionOnlyNeverByItsText() {
    // a header cell can itself be personal data (a pasted name): it must not be echoed
    String header = POLICE_HEADER + ",Jennifer Rose Catterall";
    String row = policeRow("R1") + ",x";

    Result r = run(POLICE, lines(header, row));

    assertThat(r.report().fileIssues())
        .containsExactly(new FileIssue(ReasonCode.HEADER_UNEXPECTED_COLUMN, 0L, null, 10));
    assertThat(r.report().toJson()).doesNotContain("Jennifer", "Catterall");
    assertThat(r.report().toSummaryText())
        .doesNotContain("Jennifer", "Catterall")
        .contains("Column 10");
    assertThat(r.report().toString()).doesNotContain("Jennifer");
  }

  @Test
  void aDuplicateColumnIsRejected() {
    String header = POLICE_HEADER + ",Given_Name";

    Result r = run(POLICE, lines(header, policeRow("R1") + ",Amy"));

    assertThat(r.report().fileIssues())
        .containsExactly(new FileIssue(ReasonCode.HEADER_DUPLICATE_COLUMN, 0L, "given_name", 10));
  }

  @Test
  void wrongMissingAndExtraColumnsAreAllListed() {
    String header =
        "record_ref,pnc_number,given_name,family_name,date_of_birth,postcode,incident_date,incident_type,person_role";

    Result r = run(POLICE, lines(header, policeRow("R1")));

    assertThat(r.report().fileIssues())
        .containsExactlyInAnyOrder(
            new FileIssue(ReasonCode.HEADER_MISSING_COLUMN, 0L, "pnc_id", null),
            new FileIssue(ReasonCode.HEADER_UNEXPECTED_COLUMN, 0L, null, 2));
    assertThat(r.report().toJson()).doesNotContain("pnc_number");
  }

  @Test
  void headerColumnsMayComeInAnyOrderAnyCaseAndWithSpaces() {
    String header =
        " Person_Role ,INCIDENT_TYPE,incident_date,postcode,date_of_birth,family_name,given_name,pnc_id,record_ref";
    String row = "witness,offence,2025-05-01,HR1 2AB,2011-04-05,Smith,Amy," + Extracts.PNC + ",R1";

    Result r = run(POLICE, lines(header, row));

    assertThat(r.report().status()).isEqualTo(Status.ACCEPTED);
    ValidatedRow v = r.rows().get(0);
    assertThat(v.attributes())
        .containsEntry("person_role", "WITNESS")
        .containsEntry("incident_type", "OFFENCE");
    assertThat(v.identifiers())
        .containsKeys(
            uk.familylink.domain.identifier.IdentifierKind.RECORD_REF,
            uk.familylink.domain.identifier.IdentifierKind.PNC_ID);
  }

  @Test
  void anUnterminatedQuoteIsReportedAtItsRow() {
    String csv =
        lines(POLICE_HEADER, policeRow("R1"), policeRow("R2"))
            + "R3,\""
            + Extracts.PNC
            + ",Amy,Smith,2011-04-05,HR1 2AB,2025-05-01,OFFENCE,VICTIM\n"
            + policeRow("R4")
            + "\n";

    Result r = run(POLICE, csv);

    assertThat(r.report().status()).isEqualTo(Status.REJECTED);
    assertThat(r.report().fileIssues())
        .containsExactly(new FileIssue(ReasonCode.UNTERMINATED_QUOTE, 3L, null, null));
  }

  @Test
  void textAfterAClosingQuoteIsMalformed() {
    String csv =
        lines(
            POLICE_HEADER,
            policeRow("R1"),
            "R2,\"" + Extracts.PNC + "\"x,Amy,Smith,2011-04-05,HR1 2AB,2025-05-01,OFFENCE,VICTIM");

    Result r = run(POLICE, csv);

    assertThat(r.report().fileIssues())
        .containsExactly(new FileIssue(ReasonCode.MALFORMED_CSV, 2L, null, null));
  }

  @Test
  void aTenMegabyteFieldIsRejectedWithoutBeingBuffered() {
    byte[] head = utf8(lines(POLICE_HEADER, policeRow("R1")) + "R2,");
    long fieldBytes = 10L * 1024 * 1024;
    AtomicLong served = new AtomicLong();
    InputStream in =
        new InputStream() {
          private int pos;

          @Override
          public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (pos < head.length) {
              int n = Math.min(len, head.length - pos);
              System.arraycopy(head, pos, b, off, n);
              pos += n;
              return n;
            }
            long left = fieldBytes - served.get();
            if (left <= 0) {
              return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'A');
            served.addAndGet(n);
            return n;
          }
        };

    ValidationReport report =
        new ExtractValidator(Extracts.contract(POLICE), ValidationPolicy.DEFAULTS, Extracts.CLOCK)
            .validate(in, row -> {});

    assertThat(report.status()).isEqualTo(Status.REJECTED);
    assertThat(report.fileIssues())
        .containsExactly(new FileIssue(ReasonCode.FIELD_TOO_LONG, 2L, null, null));
    // the rest of the field was only counted and hashed (never buffered), so the report's bytes
    // are the whole file's
    assertThat(served.get()).isEqualTo(fieldBytes);
    assertThat(report.bytes()).isEqualTo(head.length + fieldBytes);
    assertThat(report.bytesReadToEnd()).isTrue();
  }

  @Test
  void aFileOverTheSizeLimitStopsBeingRead() {
    StringBuilder s = new StringBuilder(POLICE_HEADER).append('\n');
    for (int i = 0; i < 5000; i++) {
      s.append(policeRow("R" + i)).append('\n');
    }
    byte[] bytes = utf8(s.toString());
    ValidationPolicy small = new ValidationPolicy(10_000, 1000, 256, 0.05, 100);

    Result r = run(POLICE, bytes, small);

    assertThat(r.report().status()).isEqualTo(Status.REJECTED);
    assertThat(r.report().fileIssues())
        .extracting(FileIssue::reason)
        .containsExactly(ReasonCode.FILE_TOO_LARGE);
    assertThat(r.report().bytes()).isLessThan(bytes.length).isLessThanOrEqualTo(10_000 + 64 * 1024);
  }

  @Test
  void tooManyRowsRejectsTheFile() {
    ValidationPolicy twoRows = new ValidationPolicy(1 << 20, 2, 256, 0.05, 100);

    Result r =
        run(
            POLICE,
            utf8(lines(POLICE_HEADER, policeRow("R1"), policeRow("R2"), policeRow("R3"))),
            twoRows);

    assertThat(r.report().fileIssues())
        .containsExactly(new FileIssue(ReasonCode.TOO_MANY_ROWS, 3L, null, null));
    assertThat(r.report().rowsTotal()).isEqualTo(2);
  }

  @Test
  void lineEndingsAndByteOrderMarkDoNotChangeTheOutcome() {
    String[] rows = {
      POLICE_HEADER,
      policeRow("R1"),
      "",
      policeRow("R2").replace("VICTIM", "PILOT"),
      "R3,\"" + Extracts.PNC + "\",\"Amy\",Smith,2011-04-05,HR1 2AB,\"2025-05-01\",OFFENCE,VICTIM"
    };
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] lf = utf8(String.join("\n", rows) + "\n");
    byte[] crlf = utf8(String.join("\r\n", rows) + "\r\n");
    byte[] noFinalNewline = utf8(String.join("\r\n", rows));

    List<Result> results =
        List.of(
            Extracts.runLenient(POLICE, lf),
            Extracts.runLenient(POLICE, crlf),
            Extracts.runLenient(POLICE, concat(bom, lf)),
            Extracts.runLenient(POLICE, concat(bom, crlf)),
            Extracts.runLenient(POLICE, noFinalNewline));

    Result first = results.get(0);
    assertThat(first.report().status()).isEqualTo(Status.ACCEPTED_WITH_ERRORS);
    assertThat(first.report().rowIssues())
        .containsExactly(
            new ValidationReport.RowIssue(2, "person_role", ReasonCode.INVALID_CODE, true));
    for (Result r : results) {
      assertThat(r.report().status()).isEqualTo(first.report().status());
      assertThat(r.report().counts()).isEqualTo(first.report().counts());
      assertThat(r.report().rowIssues()).isEqualTo(first.report().rowIssues());
      assertThat(r.rows()).isEqualTo(first.rows());
    }
  }

  @Test
  void quotedFieldsMayHoldCommasQuotesAndLineBreaks() {
    String csv =
        POLICE_HEADER
            + "\n"
            + "\"R,1\","
            + Extracts.PNC
            + ",\"Amy\",\"Smith\",2011-04-05,\"HR1 2AB\",2025-05-01,OFFENCE,VICTIM\n"
            + "\"R\n\"\"2\"\"\","
            + Extracts.PNC
            + ",Amy,Smith,2011-04-05,HR1 2AB,2025-05-01,OFFENCE,VICTIM\n"
            + "R3,"
            + Extracts.PNC
            + ",Amy,Smith,2011-04-05,HR1 2AB,"
            + Extracts.TOMORROW
            + ",OFFENCE,VICTIM\n";

    Result r = run(POLICE, csv);

    // the embedded comma and line break stay inside their cells: no field-count errors, and the
    // row after the two-line record is still numbered 3
    assertThat(r.report().counts()).doesNotContainKey(ReasonCode.WRONG_FIELD_COUNT);
    assertThat(r.report().rowsTotal()).isEqualTo(3);
    assertThat(r.report().rowIssues())
        .contains(new ValidationReport.RowIssue(3, "incident_date", ReasonCode.FUTURE_DATE));
    assertThat(r.report().rowIssues())
        .noneMatch(i -> i.row() != 3 && i.column() != null && !i.column().equals("record_ref"));
  }

  @Test
  void aFailingStreamIsRethrownNotReportedAsBadContent() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("connection reset");
          }
        };
    ExtractValidator validator =
        new ExtractValidator(Extracts.contract(POLICE), ValidationPolicy.DEFAULTS, Extracts.CLOCK);

    assertThatThrownBy(() -> validator.validate(broken, row -> {}))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("connection reset");
  }

  @Test
  void aStreamThatChangesUnderneathPropagatesItsOwnException() {
    byte[] head = utf8(lines(POLICE_HEADER, policeRow("R1")));
    InputStream changing =
        new InputStream() {
          private boolean served;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (!served) {
              served = true;
              System.arraycopy(head, 0, b, off, head.length);
              return head.length;
            }
            throw new IllegalStateException("object changed");
          }
        };
    ExtractValidator validator =
        new ExtractValidator(Extracts.contract(POLICE), ValidationPolicy.DEFAULTS, Extracts.CLOCK);

    assertThatThrownBy(() -> validator.validate(changing, row -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("object changed");
  }

  @Test
  void aFailingSinkPropagates() {
    AtomicInteger calls = new AtomicInteger();
    ExtractValidator validator =
        new ExtractValidator(Extracts.contract(POLICE), ValidationPolicy.DEFAULTS, Extracts.CLOCK);
    byte[] bytes = utf8(lines(POLICE_HEADER, policeRow("R1"), policeRow("R2")));

    assertThatThrownBy(
            () ->
                validator.validate(
                    new ByteArrayInputStream(bytes),
                    row -> {
                      calls.incrementAndGet();
                      throw new IllegalStateException("store down");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("store down");
    assertThat(calls).hasValue(1);
  }
}
