package uk.familylink.domain.validation;

import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import uk.familylink.domain.contract.ColumnSpec;
import uk.familylink.domain.contract.ColumnType;
import uk.familylink.domain.contract.Condition;
import uk.familylink.domain.contract.DatasetContract;
import uk.familylink.domain.contract.IndicatorRule;
import uk.familylink.domain.identifier.Dates;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.identifier.Identifiers;
import uk.familylink.domain.need.Need;

/**
 * Validates one partner extract against its dataset contract while streaming it: the file is never
 * held in memory, only the current row (and cells are bounded by the policy).
 *
 * <p><b>Two passes.</b> Valid rows are handed to the sink as they are read, before the end of the
 * file is known; a structural problem found later (a bad byte, an unclosed quote, too many invalid
 * rows) makes the report REJECTED, and then every row already handed over must be discarded. The
 * ingest service therefore runs the validator twice: pass 1 with a no-op sink decides, and only if
 * the report is not REJECTED does pass 2 (over a fresh stream of the same object) ingest the rows.
 * A caller may instead buffer rows, but for large files the two passes are cheaper than memory.
 *
 * <p><b>P1.</b> Nothing read from the file reaches the report or an exception: reports carry row
 * numbers, contract column names, header positions and reason codes only; the CSV library's
 * exceptions (whose messages can quote input) are classified and dropped, never rethrown.
 *
 * <p>Instances are immutable and may be shared; each {@link #validate} call keeps its own state.
 */
public final class ExtractValidator {

  /** Dates are judged "in the future" against the council's calendar day. */
  static final ZoneId CALENDAR_ZONE = ZoneId.of("Europe/London");

  /** Cells kept beyond the expected column count in the reusable row buffer (header positions). */
  private static final int EXTRA_CELLS = 16;

  /**
   * Cells a line may have beyond the contract's columns before reading stops (TOO_MANY_FIELDS): a
   * streaming limit, so a header or row of millions of separators costs no memory.
   */
  static final int EXTRA_FIELDS = 64;

  /** The CSV parser reads 8 K characters at a time; its buffer has room for three such reads. */
  private static final int PARSER_SLACK = 3 * 8192;

  /**
   * Names and references that stand for "none" (compared upper-cased, internal spaces removed). NA,
   * NAN, NIL and BLANK are left out: they are also real names.
   */
  static final Set<String> PLACEHOLDERS =
      Set.of(
          "NULL",
          "N/A",
          "#N/A",
          "N.A.",
          "N.A",
          "NONE",
          "UNKNOWN",
          "NOTKNOWN",
          "NOT-KNOWN",
          "NK",
          "UNK",
          "TBC",
          "TBA",
          "-",
          "--",
          "---",
          "?",
          "??",
          "???",
          ".",
          "X",
          "XX",
          "XXX",
          "NOTSTATED",
          "NOTGIVEN",
          "NOTRECORDED",
          "NOTAPPLICABLE",
          "REDACTED",
          "WITHHELD",
          "NONAME",
          "UNNAMED",
          "ANON",
          "ANONYMOUS",
          "UNDEFINED",
          "EMPTY");

  private static final int LONGEST_PLACEHOLDER = 13;

  private static final boolean[] PLACEHOLDER_FIRST = new boolean[0x80];

  static {
    for (String p : PLACEHOLDERS) {
      char ch = p.charAt(0);
      PLACEHOLDER_FIRST[ch] = true;
      PLACEHOLDER_FIRST[Character.toLowerCase(ch)] = true;
    }
  }

  private static final int T_IDENTIFIER = 0;
  private static final int T_DATE = 1;
  private static final int T_INTEGER = 2;
  private static final int T_CODE = 3;
  private static final int T_CODE_LIST = 4;
  private static final int T_BOOLEAN = 5;

  private final DatasetContract contract;
  private final ValidationPolicy policy;
  private final Clock clock;

  // the contract compiled into arrays indexed by column, so the row loop does no lookups
  private final int columnCount;
  private final String[] names;
  private final int[] types;
  private final IdentifierKind[] kinds;
  private final ReasonCode[] invalidReason;
  private final boolean[] required;
  private final boolean[] notFuture;
  private final boolean[] formulaGuard;
  private final boolean[] keep;

  /**
   * A problem in this column leaves the whole row out: required columns other than the linkage
   * identifiers (strong identifiers, names, date of birth, postcode), whose bad values are only
   * left out.
   */
  private final boolean[] rejectsRow;

  private final boolean[] mayBeAbsent;

  private final boolean[] placeholderCheck;
  private final int recordRefColumn;
  private final String[][] codes;
  private final long[] min;
  private final long[] max;
  private final Map<String, Integer> headerIndex;
  private final int[] strongColumns;
  private final int givenColumn;
  private final int familyColumn;
  private final int birthColumn;
  private final int addressColumn;
  private final int eventColumn;
  private final int roleColumn;
  private final int expectantColumn;
  private final int[] meaningAttributeColumns;
  private final String[] meaningAttributeKeys;
  private final Need[] ruleNeeds;

  /**
   * Per CODE_LIST column of at most MAX_CACHED_CODES codes: joined text by code bits, filled
   * lazily.
   */
  private final String[][] joinedCache;

  private static final int MAX_CACHED_CODES = 12;
  private final Check[] ruleChecks;

  public ExtractValidator(DatasetContract contract, ValidationPolicy policy, Clock clock) {
    this.contract = Objects.requireNonNull(contract, "contract");
    this.policy = Objects.requireNonNull(policy, "policy").overriddenBy(contract.limits());
    this.clock = Objects.requireNonNull(clock, "clock");

    List<ColumnSpec> cols = contract.columns();
    columnCount = cols.size();
    names = new String[columnCount];
    types = new int[columnCount];
    kinds = new IdentifierKind[columnCount];
    invalidReason = new ReasonCode[columnCount];
    required = new boolean[columnCount];
    notFuture = new boolean[columnCount];
    formulaGuard = new boolean[columnCount];
    keep = new boolean[columnCount];
    rejectsRow = new boolean[columnCount];
    mayBeAbsent = new boolean[columnCount];
    placeholderCheck = new boolean[columnCount];
    int recordRef = -1;
    codes = new String[columnCount][];
    joinedCache = new String[columnCount][];
    min = new long[columnCount];
    max = new long[columnCount];
    headerIndex = new HashMap<>();
    List<Integer> strong = new ArrayList<>();
    int given = -1;
    int family = -1;
    int birth = -1;
    int address = -1;
    int event = -1;
    int role = -1;
    int expectant = -1;
    List<Integer> meaningCols = new ArrayList<>();
    List<String> meaningKeys = new ArrayList<>();
    for (int c = 0; c < columnCount; c++) {
      ColumnSpec s = cols.get(c);
      names[c] = s.name();
      headerIndex.put(s.name().toLowerCase(Locale.ROOT), c);
      types[c] = typeCode(s.type());
      kinds[c] = s.identifier();
      required[c] = s.required();
      keep[c] = s.keep();
      codes[c] = s.codes().toArray(String[]::new);
      if (s.type() == ColumnType.CODE_LIST && codes[c].length <= MAX_CACHED_CODES) {
        joinedCache[c] = new String[1 << codes[c].length];
      }
      min[c] = s.min() == null ? Long.MIN_VALUE : s.min();
      max[c] = s.max() == null ? Long.MAX_VALUE : s.max();
      IdentifierKind k = s.identifier();
      notFuture[c] = s.notFuture() || k == IdentifierKind.DATE_OF_BIRTH;
      formulaGuard[c] =
          s.type() == ColumnType.CODE
              || s.type() == ColumnType.CODE_LIST
              || k == IdentifierKind.GIVEN_NAME
              || k == IdentifierKind.FAMILY_NAME
              || k == IdentifierKind.ADDRESS_LINE;
      rejectsRow[c] = s.required() && (k == null || isReference(k));
      mayBeAbsent[c] = s.mayBeAbsent();
      placeholderCheck[c] =
          k == IdentifierKind.GIVEN_NAME
              || k == IdentifierKind.FAMILY_NAME
              || k == IdentifierKind.ADDRESS_LINE
              || isReference(k);
      if (k == IdentifierKind.RECORD_REF) {
        recordRef = c;
      }
      if (k != null) {
        invalidReason[c] = invalidReasonFor(k);
        if (k.isStrong()) {
          strong.add(c);
        }
        switch (k) {
          case GIVEN_NAME -> given = c;
          case FAMILY_NAME -> family = c;
          case DATE_OF_BIRTH -> birth = c;
          case ADDRESS_LINE -> address = c;
          default -> {}
        }
      }
      if (s.meaning() != null) {
        switch (s.meaning()) {
          case EVENT_DATE -> event = c;
          case FAMILY_ROLE -> role = c;
          case EXPECTANT_PARENT -> expectant = c;
          default -> {
            meaningCols.add(c);
            meaningKeys.add(s.meaning().attributeKey());
          }
        }
      }
    }
    recordRefColumn = recordRef;
    strongColumns = strong.stream().mapToInt(Integer::intValue).toArray();
    givenColumn = given;
    familyColumn = family;
    birthColumn = birth;
    addressColumn = address;
    eventColumn = event;
    roleColumn = role;
    expectantColumn = expectant;
    meaningAttributeColumns = meaningCols.stream().mapToInt(Integer::intValue).toArray();
    meaningAttributeKeys = meaningKeys.toArray(String[]::new);
    List<IndicatorRule> rules = contract.indicators();
    ruleNeeds = new Need[rules.size()];
    ruleChecks = new Check[rules.size()];
    for (int i = 0; i < rules.size(); i++) {
      ruleNeeds[i] = rules.get(i).need();
      ruleChecks[i] = compile(rules.get(i).when());
    }
  }

  /**
   * The policy in force for this contract (the given policy overridden by the contract's limits).
   */
  public ValidationPolicy policy() {
    return policy;
  }

  public DatasetContract contract() {
    return contract;
  }

  /**
   * Validates the extract read from {@code in} (which stays open: the caller closes it), handing
   * each valid row to {@code validRows} as it is read. If the returned report is REJECTED the
   * caller must discard every row it was given (see the class comment).
   *
   * @throws UncheckedIOException when the stream itself fails (not a content problem)
   */
  public ValidationReport validate(InputStream in, Consumer<ValidatedRow> validRows) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(validRows, "validRows");
    return new Run(in, validRows).execute();
  }

  /** Per-call state. */
  private final class Run {
    private final ExtractReader source;
    private final Consumer<ValidatedRow> sink;
    private final LocalDate today = LocalDate.ofInstant(clock.instant(), CALENDAR_ZONE);
    private final String todayIso = today.toString();
    private final long[] counts = new long[ReasonCode.values().length];
    private final List<ValidationReport.FileIssue> fileIssues = new ArrayList<>();
    private final List<ValidationReport.RowIssue> rowIssues = new ArrayList<>();
    private boolean truncated;
    private boolean headerProblem;
    private long rows;
    private long invalid;
    private long keptWithIssues;
    private final ReferenceIndex references = new ReferenceIndex();

    // the current row's issues, listed once the row's fate (kept or left out) is known
    private final String[] issueColumn = new String[columnCount + 2];
    private final ReasonCode[] issueReason = new ReasonCode[columnCount + 2];
    private int issueCount;

    // reusable per-row values, indexed by contract column
    private final int[] fieldOf = new int[columnCount];
    private final boolean[] has = new boolean[columnCount];
    private final String[] text = new String[columnCount];
    private final LocalDate[] dates = new LocalDate[columnCount];
    private final long[] numbers = new long[columnCount];
    private final long[] codeBits = new long[columnCount];
    private int headerWidth;

    Run(InputStream in, Consumer<ValidatedRow> sink) {
      this.source =
          new ExtractReader(
              in,
              policy.maxBytes(),
              policy.hardFieldLimit(),
              columnCount + EXTRA_FIELDS,
              policy.hardRecordLimit());
      this.sink = sink;
    }

    ValidationReport execute() {
      RowCollector row = new RowCollector(columnCount + EXTRA_CELLS, policy.maxFieldLength());
      boolean headerSeen = false;
      CsvReader<RowCollector> csv =
          CsvReader.builder()
              .fieldSeparator(',')
              .quoteCharacter('"')
              .commentStrategy(CommentStrategy.NONE)
              .skipEmptyLines(true)
              .allowUnclosedQuote(false)
              .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
              .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
              // never reached: the reader stops any record longer than hardRecordLimit first, at
              // the
              // same character whatever the read sizes (the parser's own limit moves with them)
              .maxBufferSize(policy.hardRecordLimit() + PARSER_SLACK)
              .build(row, source);
      Iterator<RowCollector> records = csv.iterator();
      while (true) {
        RowCollector r;
        try {
          if (!records.hasNext()) {
            break;
          }
          r = records.next();
        } catch (RuntimeException e) {
          ReasonCode reason = classify(e);
          boolean located =
              reason != ReasonCode.FILE_TOO_LARGE && reason != ReasonCode.BINARY_CONTENT;
          fileIssue(
              new ValidationReport.FileIssue(
                  reason, located ? (headerSeen ? rows + 1 : 0L) : null, null, null));
          break;
        }
        if (r.isBlank()) {
          continue;
        }
        if (!headerSeen) {
          headerSeen = true;
          if (!header(r)) {
            break;
          }
          continue;
        }
        if (rows == policy.maxRows()) {
          fileIssue(new ValidationReport.FileIssue(ReasonCode.TOO_MANY_ROWS, rows + 1, null, null));
          break;
        }
        rows++;
        dataRow(r, rows);
      }
      try {
        source.drain();
      } catch (IOException e) {
        throw new UncheckedIOException("reading the extract failed", e);
      }
      if (!headerSeen && fileIssues.isEmpty()) {
        fileIssue(
            ValidationReport.FileIssue.of(
                source.bytesRead() == 0 ? ReasonCode.EMPTY_FILE : ReasonCode.MISSING_HEADER));
      }
      Double shareLimit = null;
      if (fileIssues.isEmpty() && rows > 0) {
        shareLimit = policy.maxInvalidShare();
        if ((double) invalid / rows > policy.maxInvalidShare()) {
          fileIssue(ValidationReport.FileIssue.of(ReasonCode.TOO_MANY_INVALID_ROWS));
        }
      }
      ValidationReport.Status status =
          !fileIssues.isEmpty()
              ? ValidationReport.Status.REJECTED
              : invalid > 0 || keptWithIssues > 0
                  ? ValidationReport.Status.ACCEPTED_WITH_ERRORS
                  : ValidationReport.Status.ACCEPTED;
      Map<ReasonCode, Long> byReason = new EnumMap<>(ReasonCode.class);
      ReasonCode[] all = ReasonCode.values();
      for (int i = 0; i < all.length; i++) {
        if (counts[i] > 0) {
          byReason.put(all[i], counts[i]);
        }
      }
      long bytes = source.bytesRead();
      return new ValidationReport(
          contract.dataset(),
          contract.version(),
          status,
          bytes,
          source.readToEnd(),
          bytes == 0 ? null : source.sha256Hex(),
          rows,
          rows - invalid,
          invalid,
          keptWithIssues,
          byReason,
          fileIssues,
          rowIssues,
          truncated,
          headerProblem ? contract.columnNames() : List.of(),
          shareLimit);
    }

    /** Maps the header onto the contract; false (with file issues) when it does not fit. */
    private boolean header(RowCollector r) {
      headerWidth = r.count();
      java.util.Arrays.fill(fieldOf, -1);
      List<Integer> unexpected = new ArrayList<>();
      List<ValidationReport.FileIssue> duplicates = new ArrayList<>();
      int matched = 0;
      for (int i = 0; i < headerWidth; i++) {
        String h = r.field(i);
        Integer c = h == null ? null : headerIndex.get(h.strip().toLowerCase(Locale.ROOT));
        if (c == null) {
          unexpected.add(i + 1);
        } else if (fieldOf[c] >= 0) {
          duplicates.add(
              new ValidationReport.FileIssue(
                  ReasonCode.HEADER_DUPLICATE_COLUMN, 0L, names[c], i + 1));
        } else {
          fieldOf[c] = i;
          matched++;
        }
      }
      if (matched == 0) {
        // nothing matches: the first line is data (or another file's header); its cells are not
        // echoed
        headerProblem = true;
        fileIssue(new ValidationReport.FileIssue(ReasonCode.MISSING_HEADER, 0L, null, null));
        return false;
      }
      for (int c = 0; c < columnCount; c++) {
        if (fieldOf[c] < 0 && !mayBeAbsent[c]) {
          fileIssue(
              new ValidationReport.FileIssue(ReasonCode.HEADER_MISSING_COLUMN, 0L, names[c], null));
        }
      }
      for (int p : unexpected) {
        // only the position: the header text of an unknown column could itself be personal data
        fileIssue(new ValidationReport.FileIssue(ReasonCode.HEADER_UNEXPECTED_COLUMN, 0L, null, p));
      }
      duplicates.forEach(this::fileIssue);
      if (!fileIssues.isEmpty()) {
        headerProblem = true;
        return false;
      }
      return true;
    }

    /**
     * Validates one data row. A bad value in a linkage identifier or an optional column is left out
     * and the row goes on without it; the row itself is left out when a required column other than
     * a linkage identifier is bad, when what remains cannot be linked, when its cells do not line
     * up with the header, or when an earlier loaded row of the file has the same record_ref (the
     * first loaded row wins, so the later one is never linked and leaves no person behind).
     */
    private void dataRow(RowCollector r, long rowNumber) {
      issueCount = 0;
      if (r.count() != headerWidth) {
        rowIssue(rowNumber, null, ReasonCode.WRONG_FIELD_COUNT, false, null);
        invalid++;
        return;
      }
      boolean rejected = false;
      for (int c = 0; c < columnCount; c++) {
        has[c] = false;
        ReasonCode problem = check(c, r);
        if (problem != null) {
          issueColumn[issueCount] = names[c];
          issueReason[issueCount++] = problem;
          rejected |= rejectsRow[c];
        }
      }
      if (!linkable()) {
        issueColumn[issueCount] = null;
        issueReason[issueCount++] = ReasonCode.NO_LINKABLE_IDENTIFIER;
        rejected = true;
      }
      long earlier = -1;
      if (!rejected && recordRefColumn >= 0 && has[recordRefColumn]) {
        earlier = references.claim(text[recordRefColumn], rowNumber);
        rejected = earlier >= 0;
      }
      for (int i = 0; i < issueCount; i++) {
        rowIssue(rowNumber, issueColumn[i], issueReason[i], !rejected, null);
      }
      if (earlier >= 0) {
        rowIssue(
            rowNumber,
            names[recordRefColumn],
            ReasonCode.DUPLICATE_RECORD_REF,
            false,
            earlier == 0 ? null : earlier);
      }
      if (rejected) {
        invalid++;
        return;
      }
      if (issueCount > 0) {
        keptWithIssues++;
      }
      sink.accept(build(rowNumber));
    }

    /**
     * Checks column {@code c} of the row: sets {@code has[c]} when it holds a usable value; returns
     * its problem, or null (a usable value, or a blank optional cell). A cell of whitespace only
     * (any Unicode space, TAB, no-break spaces) is blank.
     */
    private ReasonCode check(int c, RowCollector r) {
      int f = fieldOf[c];
      if (f < 0) {
        return null; // an optional column this header leaves out: blank
      }
      if (r.isTooLong(f)) {
        return ReasonCode.FIELD_TOO_LONG;
      }
      String raw = r.field(f);
      int len = raw.length();
      int a = 0;
      while (a < len && isSpace(raw.charAt(a))) {
        a++;
      }
      int b = len;
      while (b > a && isSpace(raw.charAt(b - 1))) {
        b--;
      }
      if (a == b) {
        return required[c] ? ReasonCode.REQUIRED_MISSING : null;
      }
      if (hasInvisible(raw)) {
        return ReasonCode.INVISIBLE_CHARACTER;
      }
      if (formulaGuard[c] && isFormulaLike(raw, a)) {
        return ReasonCode.FORMULA_LIKE_VALUE;
      }
      String v = a == 0 && b == len ? raw : raw.substring(a, b);
      if (placeholderCheck[c] && isPlaceholder(v)) {
        return ReasonCode.PLACEHOLDER_VALUE;
      }
      ReasonCode problem = cell(c, v);
      if (problem == null) {
        has[c] = true;
      }
      return problem;
    }

    /** Checks and normalises one non-blank cell into the per-row arrays; the problem, or null. */
    private ReasonCode cell(int c, String v) {
      switch (types[c]) {
        case T_IDENTIFIER -> {
          String n;
          try {
            n = Identifiers.normalise(kinds[c], v);
          } catch (RuntimeException e) {
            // a bug, not bad input; its message might quote the value, so it is dropped (P1)
            throw new IllegalStateException("normalising column " + names[c] + " failed", null);
          }
          if (n == null) {
            return invalidReason[c];
          }
          if (c == birthColumn && isFutureBirthDate(n)) {
            return ReasonCode.FUTURE_DATE;
          }
          text[c] = n;
          return null;
        }
        case T_DATE -> {
          LocalDate d;
          try {
            d = Dates.parse(v);
          } catch (RuntimeException e) {
            throw new IllegalStateException(
                "parsing a date in column " + names[c] + " failed", null);
          }
          if (d == null) {
            return ReasonCode.INVALID_DATE;
          }
          if (notFuture[c] && d.isAfter(today)) {
            return ReasonCode.FUTURE_DATE;
          }
          dates[c] = d;
          return null;
        }
        case T_INTEGER -> {
          return parseInteger(c, v) ? null : ReasonCode.INVALID_INTEGER;
        }
        case T_CODE -> {
          int i = codeIndex(codes[c], v);
          if (i < 0) {
            return ReasonCode.INVALID_CODE;
          }
          codeBits[c] = 1L << i;
          text[c] = codes[c][i];
          return null;
        }
        case T_CODE_LIST -> {
          return parseCodeList(c, v) ? null : ReasonCode.INVALID_CODE;
        }
        case T_BOOLEAN -> {
          int b = parseBoolean(v);
          if (b < 0) {
            return ReasonCode.INVALID_BOOLEAN;
          }
          numbers[c] = b;
          return null;
        }
        default -> throw new IllegalStateException("unknown column type");
      }
    }

    /** Normalised dates of birth are yyyy-MM-dd, which order as text like the dates themselves. */
    private boolean isFutureBirthDate(String normalised) {
      if (normalised.length() == 10 && normalised.charAt(4) == '-' && normalised.charAt(7) == '-') {
        return normalised.compareTo(todayIso) > 0;
      }
      LocalDate d = Dates.parse(normalised);
      return d != null && d.isAfter(today);
    }

    private boolean parseInteger(int c, String v) {
      int len = v.length();
      int i = 0;
      boolean negative = false;
      char first = v.charAt(0);
      if (first == '-' || first == '+') {
        negative = first == '-';
        i = 1;
      }
      if (i == len || len - i > 18) {
        return false;
      }
      long n = 0;
      for (; i < len; i++) {
        char ch = v.charAt(i);
        if (ch < '0' || ch > '9') {
          return false;
        }
        n = n * 10 + (ch - '0');
      }
      if (negative) {
        n = -n;
      }
      if (n < min[c] || n > max[c]) {
        return false;
      }
      numbers[c] = n;
      return true;
    }

    private boolean parseCodeList(int c, String v) {
      long bits = 0;
      int start = 0;
      int len = v.length();
      while (start <= len) {
        int end = v.indexOf(';', start);
        if (end < 0) {
          end = len;
        }
        int a = start;
        int b = end;
        while (a < b && v.charAt(a) <= ' ') {
          a++;
        }
        while (b > a && v.charAt(b - 1) <= ' ') {
          b--;
        }
        if (b > a) {
          int i = codeIndex(codes[c], v, a, b);
          if (i < 0) {
            return false;
          }
          bits |= 1L << i;
        }
        start = end + 1;
      }
      codeBits[c] = bits;
      return true;
    }

    private boolean linkable() {
      for (int c : strongColumns) {
        if (has[c]) {
          return true;
        }
      }
      int parts = present(givenColumn) + present(familyColumn) + present(birthColumn);
      // given name, family name and date of birth; or, with an address line, two of the three
      return parts == 3 || (parts == 2 && present(addressColumn) == 1);
    }

    private int present(int column) {
      return column >= 0 && has[column] ? 1 : 0;
    }

    private ValidatedRow build(long rowNumber) {
      EnumMap<IdentifierKind, String> ids = new EnumMap<>(IdentifierKind.class);
      Map<String, String> attributes = null;
      for (int c = 0; c < columnCount; c++) {
        if (!has[c]) {
          continue;
        }
        if (types[c] == T_IDENTIFIER) {
          ids.put(kinds[c], text[c]);
        } else if (keep[c]) {
          if (attributes == null) {
            attributes = new HashMap<>(8);
          }
          attributes.put(names[c], keptValue(c));
        }
      }
      for (int i = 0; i < meaningAttributeColumns.length; i++) {
        int c = meaningAttributeColumns[i];
        if (has[c]) {
          if (attributes == null) {
            attributes = new HashMap<>(8);
          }
          attributes.put(meaningAttributeKeys[i], Dates.iso(dates[c]));
        }
      }
      Set<Need> needs = EnumSet.noneOf(Need.class);
      for (int i = 0; i < ruleChecks.length; i++) {
        if (ruleChecks[i].test(this)) {
          needs.add(ruleNeeds[i]);
        }
      }
      LocalDate event = eventColumn >= 0 && has[eventColumn] ? dates[eventColumn] : null;
      String role = roleColumn >= 0 && has[roleColumn] ? text[roleColumn] : null;
      boolean expectant =
          expectantColumn >= 0 && has[expectantColumn] && numbers[expectantColumn] == 1;
      return new ValidatedRow(
          rowNumber,
          ids,
          needs,
          event,
          role,
          expectant,
          attributes == null ? Map.of() : attributes);
    }

    private String keptValue(int c) {
      return switch (types[c]) {
        case T_DATE -> Dates.iso(dates[c]);
        case T_INTEGER -> Long.toString(numbers[c]);
        case T_CODE -> text[c];
        case T_CODE_LIST -> joinedCodes(c, codeBits[c]);
        case T_BOOLEAN -> numbers[c] == 1 ? "true" : "false";
        default -> throw new IllegalStateException("identifiers are never kept");
      };
    }

    @SuppressWarnings("EnumOrdinal") // counts is an int[] by reason for the per-row hot path
    private void rowIssue(
        long row, String column, ReasonCode reason, boolean rowKept, Long relatedRow) {
      counts[reason.ordinal()]++;
      if (rowIssues.size() < policy.maxListedIssues()) {
        rowIssues.add(new ValidationReport.RowIssue(row, column, reason, rowKept, relatedRow));
      } else {
        truncated = true;
      }
    }

    @SuppressWarnings("EnumOrdinal") // counts is an int[] by reason for the per-row hot path
    private void fileIssue(ValidationReport.FileIssue issue) {
      counts[issue.reason().ordinal()]++;
      if (fileIssues.size() < Math.max(1, policy.maxListedIssues())) {
        fileIssues.add(issue);
      } else {
        truncated = true;
      }
    }
  }

  /**
   * Turns a failure while parsing into a reason code. Only the library's own wording is looked at
   * (never the input); the exception itself is dropped. Failures of the stream are not content
   * problems and are rethrown without any CSV library message.
   */
  private static ReasonCode classify(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ExtractReader.Stop stop) {
        return stop.reason;
      }
    }
    if (e instanceof UncheckedIOException u) {
      throw new UncheckedIOException("reading the extract failed", u.getCause());
    }
    if (e instanceof CsvParseException && e.getCause() != null) {
      // FastCSV wraps anything the stream throws; hand the stream's own failure back
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("reading the extract failed", cause);
    }
    if (e instanceof CsvParseException) {
      String m = String.valueOf(e.getMessage());
      if (m.startsWith("Unclosed quoted field")) {
        return ReasonCode.UNTERMINATED_QUOTE;
      }
      if (m.contains("maximum buffer size")) {
        return ReasonCode.FIELD_TOO_LONG;
      }
      return ReasonCode.MALFORMED_CSV;
    }
    throw e;
  }

  /** A compiled indicator condition. */
  @FunctionalInterface
  private interface Check {
    boolean test(Run row);
  }

  private Check compile(Condition condition) {
    if (condition instanceof Condition.In in) {
      int c = column(in.column());
      long mask = mask(c, in.codes());
      return r -> r.has[c] && (r.codeBits[c] & mask) != 0;
    }
    if (condition instanceof Condition.Contains contains) {
      int c = column(contains.column());
      long mask = mask(c, contains.codes());
      return r -> r.has[c] && (r.codeBits[c] & mask) != 0;
    }
    if (condition instanceof Condition.Is is) {
      int c = column(is.column());
      long expected = is.expected() ? 1 : 0;
      return r -> r.has[c] && r.numbers[c] == expected;
    }
    if (condition instanceof Condition.AtLeast atLeast) {
      int c = column(atLeast.column());
      long threshold = atLeast.threshold();
      return r -> r.has[c] && r.numbers[c] >= threshold;
    }
    if (condition instanceof Condition.Ratio ratio) {
      int num = column(ratio.numerator());
      int den = column(ratio.denominator());
      double threshold = ratio.threshold();
      return r ->
          r.has[num]
              && r.has[den]
              && r.numbers[den] != 0
              && (double) r.numbers[num] / r.numbers[den] >= threshold;
    }
    if (condition instanceof Condition.All all) {
      Check[] parts = all.conditions().stream().map(this::compile).toArray(Check[]::new);
      return r -> {
        for (Check p : parts) {
          if (!p.test(r)) {
            return false;
          }
        }
        return true;
      };
    }
    if (condition instanceof Condition.Any any) {
      Check[] parts = any.conditions().stream().map(this::compile).toArray(Check[]::new);
      return r -> {
        for (Check p : parts) {
          if (p.test(r)) {
            return true;
          }
        }
        return false;
      };
    }
    throw new IllegalArgumentException("unknown condition " + condition.getClass().getSimpleName());
  }

  private int column(String name) {
    for (int c = 0; c < columnCount; c++) {
      if (names[c].equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("condition refers to unknown column " + name);
  }

  private long mask(int c, List<String> wanted) {
    long m = 0;
    for (String code : wanted) {
      int i = codeIndex(codes[c], code);
      if (i < 0) {
        throw new IllegalArgumentException(
            "condition refers to unknown code " + code + " of " + names[c]);
      }
      m |= 1L << i;
    }
    return m;
  }

  private static int typeCode(ColumnType t) {
    return switch (t) {
      case IDENTIFIER -> T_IDENTIFIER;
      case DATE -> T_DATE;
      case INTEGER -> T_INTEGER;
      case CODE -> T_CODE;
      case CODE_LIST -> T_CODE_LIST;
      case BOOLEAN -> T_BOOLEAN;
    };
  }

  static ReasonCode invalidReasonFor(IdentifierKind kind) {
    return switch (kind) {
      case NHS_NUMBER -> ReasonCode.INVALID_NHS_NUMBER;
      case NINO -> ReasonCode.INVALID_NINO;
      case UPN -> ReasonCode.INVALID_UPN;
      case ULN -> ReasonCode.INVALID_ULN;
      case PNC_ID -> ReasonCode.INVALID_PNC_ID;
      case POSTCODE -> ReasonCode.INVALID_POSTCODE;
      case ADDRESS_LINE -> ReasonCode.INVALID_ADDRESS;
      case GIVEN_NAME, FAMILY_NAME -> ReasonCode.INVALID_NAME;
      case DATE_OF_BIRTH -> ReasonCode.INVALID_DATE;
      case FAMILY_REF, HOUSEHOLD_REF, RECORD_REF -> ReasonCode.INVALID_REFERENCE;
    };
  }

  private static boolean isReference(IdentifierKind k) {
    return k == IdentifierKind.RECORD_REF
        || k == IdentifierKind.FAMILY_REF
        || k == IdentifierKind.HOUSEHOLD_REF;
  }

  /**
   * = + - @ start formulas in spreadsheets, also after leading spaces (spreadsheets skip them); a
   * leading TAB or CR is used to smuggle them past naive checks. {@code first} is the index of the
   * first non-space character.
   */
  static boolean isFormulaLike(String v, int first) {
    for (int i = 0; i < first; i++) {
      char ch = v.charAt(i);
      if (ch == '\t' || ch == '\r') {
        return true;
      }
    }
    char ch = v.charAt(first);
    return ch == '=' || ch == '+' || ch == '-' || ch == '@';
  }

  /**
   * Whitespace for cells: {@link Character#isWhitespace} and every Unicode space separator (the
   * no-break spaces U+00A0, U+2007, U+202F, the ideographic space...). Zero-width characters are
   * not spaces: they are {@link #hasInvisible invisible}.
   */
  static boolean isSpace(char ch) {
    if (ch == ' ') {
      return true;
    }
    if (ch > ' ' && ch < 0x80) {
      return false;
    }
    return Character.isWhitespace(ch) || Character.isSpaceChar(ch);
  }

  /**
   * Whether the cell holds a character a reader cannot see: a control character other than TAB, LF
   * and CR, or a format character (zero-width space and joiners, bidirectional marks, overrides and
   * isolates, soft hyphen, word joiner, BOM, tag characters...).
   */
  static boolean hasInvisible(String v) {
    for (int i = 0, n = v.length(); i < n; i++) {
      char ch = v.charAt(i);
      if (ch < 0x20) {
        if (ch != '\t' && ch != '\n' && ch != '\r') {
          return true;
        }
      } else if (ch >= 0x7F) {
        int cp = ch;
        if (Character.isHighSurrogate(ch) && i + 1 < n) {
          cp = Character.toCodePoint(ch, v.charAt(++i));
        }
        int type = Character.getType(cp);
        if (type == Character.FORMAT || type == Character.CONTROL) {
          return true;
        }
      }
    }
    return false;
  }

  /** NULL, N/A, UNKNOWN, ... in any case, with any internal spaces. */
  static boolean isPlaceholder(String v) {
    char first = v.charAt(0);
    if (v.length() > 2 * LONGEST_PLACEHOLDER
        || first >= 0x80
        || !PLACEHOLDER_FIRST[first]) { // most names are ruled out here, without allocating
      return false;
    }
    StringBuilder key = new StringBuilder(v.length());
    for (int i = 0, n = v.length(); i < n; i++) {
      char ch = v.charAt(i);
      if (!isSpace(ch)) {
        key.append(ch >= 'a' && ch <= 'z' ? (char) (ch - ('a' - 'A')) : ch);
      }
    }
    return key.length() <= LONGEST_PLACEHOLDER && PLACEHOLDERS.contains(key.toString());
  }

  private static int codeIndex(String[] allowed, String v) {
    return codeIndex(allowed, v, 0, v.length());
  }

  /**
   * Case-insensitive match of v[from, to) against the allowed codes (upper-case ASCII letters,
   * digits and underscores), without allocating: the exact form first, as partners mostly send it.
   */
  private static int codeIndex(String[] allowed, String v, int from, int to) {
    int len = to - from;
    if (from == 0 && to == v.length()) {
      for (int i = 0; i < allowed.length; i++) {
        if (allowed[i].equals(v)) {
          return i;
        }
      }
    }
    for (int i = 0; i < allowed.length; i++) {
      String code = allowed[i];
      if (code.length() == len && sameIgnoringAsciiCase(code, v, from, len)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean sameIgnoringAsciiCase(String upperCode, String v, int from, int len) {
    for (int k = 0; k < len; k++) {
      char a = v.charAt(from + k);
      char b = upperCode.charAt(k);
      if (a != b && !(a >= 'a' && a <= 'z' && a - ('a' - 'A') == b)) {
        return false;
      }
    }
    return true;
  }

  /** 1 for Y/YES/TRUE/1, 0 for N/NO/FALSE/0, -1 otherwise (case-insensitive). */
  private static int parseBoolean(String v) {
    switch (v.length()) {
      case 1 -> {
        char ch = v.charAt(0);
        if (ch == 'Y' || ch == 'y' || ch == '1') {
          return 1;
        }
        if (ch == 'N' || ch == 'n' || ch == '0') {
          return 0;
        }
        return -1;
      }
      case 2 -> {
        return v.equalsIgnoreCase("NO") ? 0 : -1;
      }
      case 3 -> {
        return v.equalsIgnoreCase("YES") ? 1 : -1;
      }
      case 4 -> {
        return v.equalsIgnoreCase("TRUE") ? 1 : -1;
      }
      case 5 -> {
        return v.equalsIgnoreCase("FALSE") ? 0 : -1;
      }
      default -> {
        return -1;
      }
    }
  }

  /**
   * The kept text of a code-list value: its codes in contract order, joined by ';'. Lists of up to
   * {@link #MAX_CACHED_CODES} codes have few combinations, so each joined string is built once.
   */
  private String joinedCodes(int c, long bits) {
    String[] cache = joinedCache[c];
    if (cache == null) {
      return joinCodes(codes[c], bits);
    }
    String s = cache[(int) bits];
    if (s == null) {
      s = joinCodes(codes[c], bits);
      cache[(int) bits] = s; // a benign race: Strings are safely published, any copy is equal
    }
    return s;
  }

  private static String joinCodes(String[] allowed, long bits) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < allowed.length; i++) {
      if ((bits & (1L << i)) != 0) {
        if (s.length() > 0) {
          s.append(';');
        }
        s.append(allowed[i]);
      }
    }
    return s.toString();
  }
}
