package uk.familylink.local.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SplittableRandom;
import uk.familylink.domain.identifier.CheckDigits;
import uk.familylink.local.population.Names;

/**
 * A fast, streaming writer of valid synthetic {@code early-help} extracts for the benchmarks: every
 * row passes the contract (the benchmark checks that), with the variety partners really send (NHS
 * numbers with and without spaces, UK and ISO dates, postcodes in upper and lower case, accented
 * names, empty optional cells). Rows are written straight as bytes, one family at a time, so a file
 * of any size costs a few kilobytes of heap. Fictional people only. The names are the population
 * generator's ({@link Names}).
 */
final class EarlyHelpCsv {

  static final String DATASET = "early-help";
  static final String HEADER =
      "record_ref,family_ref,nhs_number,given_name,family_name,date_of_birth,postcode,"
          + "family_role,expectant_parent,referral_date,closure_date,needs_identified\n";

  private static final byte[][] GIVEN = utf8(Names.GIVEN.toArray(String[]::new));
  private static final byte[][] FAMILY = utf8(Names.FAMILY.toArray(String[]::new));

  /** Herefordshire-like outward codes; the inward part is drawn. */
  private static final byte[][] OUTWARD =
      utf8(
          "HR1", "HR2", "HR3", "HR4", "HR5", "HR6", "HR7", "HR8", "HR9", "WR14", "SY8", "NP7",
          "GL18", "LD8");

  private static final byte[] INWARD_LETTERS =
      "ABDEFGHJLNPQRSTUWXYZ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[][] NEEDS =
      utf8(
          "EDUCATION",
          "EARLY_YEARS",
          "HEALTH",
          "SUBSTANCE_USE",
          "FAMILY_RELATIONSHIPS",
          "CHILD_SAFETY",
          "CRIME",
          "DOMESTIC_ABUSE",
          "HOUSING",
          "FINANCIAL_STABILITY");
  private static final byte[] PARENT = utf8("PARENT_CARER")[0];
  private static final byte[] CHILD = utf8("CHILD")[0];
  private static final byte[] OTHER_ADULT = utf8("OTHER_ADULT")[0];

  private static final long PARENT_BORN_FROM = LocalDate.of(1968, 1, 1).toEpochDay();
  private static final long PARENT_BORN_TO = LocalDate.of(1998, 12, 31).toEpochDay();
  private static final long CHILD_BORN_FROM = LocalDate.of(2004, 1, 1).toEpochDay();
  private static final long CHILD_BORN_TO = LocalDate.of(2023, 12, 31).toEpochDay();

  /** Referrals end well before any plausible "today", so no date is ever in the future. */
  private static final long REFERRAL_FROM = LocalDate.of(2021, 4, 1).toEpochDay();

  private static final long REFERRAL_TO = LocalDate.of(2024, 6, 30).toEpochDay();

  /** What was written. */
  record Written(Path file, long rows, long bytes) {}

  private final SplittableRandom random;
  private final byte[] row = new byte[1024];
  private int at;
  private long rows;
  private long people;
  private long families;

  EarlyHelpCsv(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Writes exactly {@code rowCount} data rows (after the header) to {@code file}. */
  static Written writeRows(Path file, long rowCount, long seed) throws IOException {
    return write(file, rowCount, Long.MAX_VALUE, seed);
  }

  /** Writes rows until the file holds at least {@code targetBytes} bytes. */
  static Written writeBytes(Path file, long targetBytes, long seed) throws IOException {
    return write(file, Long.MAX_VALUE, targetBytes, seed);
  }

  private static Written write(Path file, long maxRows, long targetBytes, long seed)
      throws IOException {
    EarlyHelpCsv csv = new EarlyHelpCsv(seed);
    long bytes;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      bytes = csv.writeTo(out, maxRows, targetBytes);
    }
    return new Written(file, csv.rows, bytes);
  }

  /** Streams the header and rows to {@code out}; returns the bytes written. */
  long writeTo(OutputStream out, long maxRows, long targetBytes) throws IOException {
    byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);
    out.write(header);
    long bytes = header.length;
    while (rows < maxRows && bytes < targetBytes) {
      bytes += family(out, maxRows - rows);
    }
    return bytes;
  }

  /** One family: one or two carers, children, sometimes another adult; returns bytes written. */
  private long family(OutputStream out, long rowsLeft) throws IOException {
    long family = ++families;
    byte[] familyName = FAMILY[random.nextInt(FAMILY.length)];
    byte[] outward = OUTWARD[random.nextInt(OUTWARD.length)];
    int inwardDigit = random.nextInt(10);
    byte inwardA = INWARD_LETTERS[random.nextInt(INWARD_LETTERS.length)];
    byte inwardB = INWARD_LETTERS[random.nextInt(INWARD_LETTERS.length)];
    long referral = REFERRAL_FROM + random.nextLong(REFERRAL_TO - REFERRAL_FROM + 1);
    long closure = random.nextInt(3) == 0 ? -1 : referral + 14 + random.nextInt(300);
    int needs = randomNeedMask();
    int carers = 1 + random.nextInt(2);
    int children = random.nextInt(4) + (carers == 1 ? 1 : 0);
    int others = random.nextInt(6) == 0 ? 1 : 0;
    int members = (int) Math.min(rowsLeft, carers + children + others);
    long bytes = 0;
    for (int m = 0; m < members; m++) {
      byte[] role = m < carers ? PARENT : m < carers + children ? CHILD : OTHER_ADULT;
      at = 0;
      rows++;
      long person = ++people;
      ref('E', 'H', rows, 9);
      put(',');
      ref('F', 'M', family, 8);
      put(',');
      nhs(person);
      put(',');
      put(GIVEN[random.nextInt(GIVEN.length)]);
      put(',');
      put(familyName);
      put(',');
      boolean adult = role != CHILD;
      long born =
          adult
              ? PARENT_BORN_FROM + random.nextLong(PARENT_BORN_TO - PARENT_BORN_FROM + 1)
              : CHILD_BORN_FROM + random.nextLong(CHILD_BORN_TO - CHILD_BORN_FROM + 1);
      date(born, random.nextInt(3) == 0);
      put(',');
      postcode(outward, inwardDigit, inwardA, inwardB, random.nextInt(10) == 0);
      put(',');
      put(role);
      put(',');
      if (role == PARENT && random.nextInt(12) == 0) {
        put('Y');
      } else if (random.nextBoolean()) {
        put('N');
      }
      put(',');
      date(referral, random.nextInt(4) == 0);
      put(',');
      if (closure >= 0) {
        date(closure, false);
      }
      put(',');
      codeList(needs);
      put('\n');
      out.write(row, 0, at);
      bytes += at;
    }
    return bytes;
  }

  private int randomNeedMask() {
    // one to three needs, as assessments record
    int mask = 0;
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      mask |= 1 << random.nextInt(NEEDS.length);
    }
    return mask;
  }

  /** e.g. EH-000000123 / FM-00000045. */
  private void ref(char a, char b, long serial, int width) {
    put(a);
    put(b);
    put('-');
    digits(serial, width);
  }

  /**
   * A valid NHS number unique to the person: base 400,000,000 + 10 x serial, first with a check
   * digit.
   */
  private void nhs(long person) {
    long base = 400_000_000L + 10 * (person % 59_000_000L);
    String nhs = null;
    for (int i = 0; nhs == null; i++) {
      nhs = CheckDigits.nhsNumber(base + i);
    }
    boolean spaced = random.nextInt(4) == 0;
    for (int i = 0; i < 10; i++) {
      if (spaced && (i == 3 || i == 6)) {
        put(' ');
      }
      put(nhs.charAt(i));
    }
  }

  private void date(long epochDay, boolean uk) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    if (uk) {
      digits(d.getDayOfMonth(), 2);
      put('/');
      digits(d.getMonthValue(), 2);
      put('/');
      digits(d.getYear(), 4);
    } else {
      digits(d.getYear(), 4);
      put('-');
      digits(d.getMonthValue(), 2);
      put('-');
      digits(d.getDayOfMonth(), 2);
    }
  }

  private void postcode(byte[] outward, int digit, byte a, byte b, boolean sloppy) {
    // sloppy: lower case without the space, which normalisation must repair
    for (byte c : outward) {
      put(sloppy ? (char) Character.toLowerCase(c) : (char) c);
    }
    if (!sloppy) {
      put(' ');
    }
    put((char) ('0' + digit));
    put(sloppy ? (char) Character.toLowerCase(a) : (char) a);
    put(sloppy ? (char) Character.toLowerCase(b) : (char) b);
  }

  private void codeList(int mask) {
    boolean first = true;
    for (int i = 0; i < NEEDS.length; i++) {
      if ((mask & (1 << i)) != 0) {
        if (!first) {
          put(';');
        }
        put(NEEDS[i]);
        first = false;
      }
    }
  }

  private void digits(long value, int width) {
    for (int i = at + width - 1; i >= at; i--, value /= 10) {
      row[i] = (byte) ('0' + value % 10);
    }
    at += width;
  }

  private void put(char c) {
    row[at++] = (byte) c;
  }

  private void put(byte[] bytes) {
    System.arraycopy(bytes, 0, row, at, bytes.length);
    at += bytes.length;
  }

  private static byte[][] utf8(String... values) {
    byte[][] out = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i].getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }
}
