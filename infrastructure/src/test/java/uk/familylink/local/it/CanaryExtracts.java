package uk.familylink.local.it;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import uk.familylink.domain.contract.ColumnSpec;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.identifier.CheckDigits;

/**
 * Builds extracts for any contract whose identifying cells hold unique, valid "canary" values, and
 * remembers every form of every canary (as written and as normalised) so a test can prove none of
 * them is stored, reported or logged anywhere.
 */
final class CanaryExtracts {

  private static final DateTimeFormatter UK = DateTimeFormatter.ofPattern("dd/MM/yyyy");
  private final Set<String> canaries = new LinkedHashSet<>();
  private int sequence;

  Set<String> canaries() {
    return canaries;
  }

  /**
   * A CSV with a header and {@code rows} valid rows; identifiers are canaries, other cells valid
   * values.
   */
  String csv(DatasetContract contract, int rows) {
    StringBuilder csv = new StringBuilder(String.join(",", contract.columnNames())).append("\r\n");
    for (int r = 0; r < rows; r++) {
      List<String> cells = new ArrayList<>();
      for (ColumnSpec column : contract.columns()) {
        cells.add(value(column));
      }
      csv.append(String.join(",", cells)).append("\r\n");
    }
    return csv.toString();
  }

  /** An unused letter-only suffix, so names stay valid names. */
  static String letters(int n) {
    StringBuilder s = new StringBuilder();
    do {
      s.append((char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return s.toString();
  }

  private String remember(String written, String... normalised) {
    canaries.add(written);
    for (String n : normalised) {
      canaries.add(n);
    }
    return written;
  }

  @SuppressWarnings("StatementSwitchToExpressionSwitch") // cases with local variables
  private String value(ColumnSpec column) {
    int seq = ++sequence;
    switch (column.type()) {
      case IDENTIFIER:
        return identifier(column, seq);
      case DATE:
        return "2025-06-" + String.format("%02d", 1 + seq % 28);
      case INTEGER:
        long min = column.min() == null ? 0 : column.min();
        return Long.toString(Math.max(min, 1));
      case CODE:
      case CODE_LIST:
        return column.codes().get(0);
      case BOOLEAN:
        return "N";
      default:
        throw new IllegalStateException("no canary value for type " + column.type());
    }
  }

  @SuppressWarnings("StatementSwitchToExpressionSwitch") // cases with local variables
  private String identifier(ColumnSpec column, int seq) {
    switch (column.identifier()) {
      case NHS_NUMBER:
        {
          String nhs = null;
          for (long base = 400_000_000L + seq * 7L; nhs == null; base++) {
            nhs = CheckDigits.nhsNumber(base);
          }
          String spaced = nhs.substring(0, 3) + " " + nhs.substring(3, 6) + " " + nhs.substring(6);
          return remember(spaced, nhs);
        }
      case NINO:
        {
          String nino = CheckDigits.nino(seq % 50, 400_000 + seq, 'C');
          return remember(nino.toLowerCase(Locale.ROOT), nino);
        }
      case UPN:
        {
          return remember(CheckDigits.upn(884, 4000 + seq % 1000, 19, seq % 1000));
        }
      case ULN:
        {
          String uln = null;
          for (long base = 500_000_000L + seq * 11L; uln == null; base++) {
            uln = CheckDigits.uln(base);
          }
          return remember(uln);
        }
      case PNC_ID:
        {
          return remember(CheckDigits.pncId(97, 4_000_000 + seq));
        }
      case GIVEN_NAME:
        {
          String name = "Quokka" + letters(seq);
          return remember(name, name.toUpperCase(Locale.ROOT));
        }
      case FAMILY_NAME:
        {
          String name = "O'Zebra" + letters(seq);
          return remember(
              name, "OZEBRA" + letters(seq).toUpperCase(Locale.ROOT), "Zebra" + letters(seq));
        }
      case DATE_OF_BIRTH:
        {
          LocalDate dob = LocalDate.of(1941, 1, 1).plusDays(seq * 13L);
          return remember(dob.format(UK), dob.toString());
        }
      case POSTCODE:
        {
          String outward = "HR" + (1 + seq % 9);
          String inward =
              (seq % 10)
                  + ""
                  + "ABDEFGHJLNPQRSTUWXYZ".charAt(seq % 20)
                  + "ABDEFGHJLNPQRSTUWXYZ".charAt((seq / 20) % 20);
          return remember(
              outward.toLowerCase(Locale.ROOT) + inward.toLowerCase(Locale.ROOT),
              outward + " " + inward);
        }
      case ADDRESS_LINE:
        {
          String street = "Wombat" + letters(seq);
          String raw = (seq + 1) + " " + street + " Rd.";
          return remember(
              raw,
              (seq + 1) + " " + street.toUpperCase(Locale.ROOT) + " ROAD",
              street,
              street.toUpperCase(Locale.ROOT));
        }
      case FAMILY_REF:
      case HOUSEHOLD_REF:
      case RECORD_REF:
        {
          String ref = "Canary-Ref-" + column.identifier().name().charAt(0) + seq;
          return remember(ref, ref.toUpperCase(Locale.ROOT));
        }
      default:
        throw new IllegalStateException("no canary for " + column.identifier());
    }
  }
}
