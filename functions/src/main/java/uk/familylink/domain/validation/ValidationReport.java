package uk.familylink.domain.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of validating one extract, written back to the partner. It holds counts, row numbers,
 * contract column names, header positions and reason codes only: never a value from the file (P1).
 * Immutable.
 */
public final class ValidationReport {

  public enum Status {
    /** Every row is valid and was handed on. */
    ACCEPTED,
    /**
     * Valid rows were handed on; invalid rows, and bad values of rows still loaded, were left out
     * and are listed.
     */
    ACCEPTED_WITH_ERRORS,
    /** Nothing from the file may be used. */
    REJECTED
  }

  /**
   * A problem with the file as a whole.
   *
   * @param reason what is wrong
   * @param row the data row where it was found (0 = header), or null
   * @param column the contract's column name concerned, or null
   * @param position the 1-based header position concerned, or null (used for columns the contract
   *     does not know: their header text is never repeated)
   */
  public record FileIssue(ReasonCode reason, Long row, String column, Integer position) {
    public static FileIssue of(ReasonCode reason) {
      return new FileIssue(reason, null, null, null);
    }
  }

  /**
   * A problem with one cell or row.
   *
   * @param row 1-based data row number (the header is row 0; blank lines are not counted)
   * @param column the contract's column name, or null for a row-level problem
   * @param reason what is wrong
   * @param rowKept true when the row was still loaded without this cell's value (a bad identifier
   *     or optional cell is left out and the row is linked on what remains); false when the row was
   *     left out
   * @param relatedRow the other row concerned (for DUPLICATE_RECORD_REF: the earlier row that was
   *     loaded with the same reference), or null
   */
  public record RowIssue(
      long row, String column, ReasonCode reason, boolean rowKept, Long relatedRow) {

    /** An issue that left its row out. */
    public RowIssue(long row, String column, ReasonCode reason) {
      this(row, column, reason, false, null);
    }

    public RowIssue(long row, String column, ReasonCode reason, boolean rowKept) {
      this(row, column, reason, rowKept, null);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int SUMMARY_LISTED = 20;

  private final String dataset;
  private final Integer contractVersion;
  private final Status status;
  private final long bytes;
  private final boolean bytesReadToEnd;
  private final String sha256;
  private final long rowsTotal;
  private final long rowsValid;
  private final long rowsInvalid;
  private final long rowsKeptWithIssues;
  private final Map<ReasonCode, Long> counts;
  private final List<FileIssue> fileIssues;
  private final List<RowIssue> rowIssues;
  private final boolean truncated;
  private final List<String> expectedColumns;
  private final Double maxInvalidShare;

  /**
   * @param bytes bytes read: the whole file, or (when {@code bytesReadToEnd} is false) the first
   *     {@code bytes} bytes of a file at least that long, where reading stopped at the size limit
   * @param rowsValid rows loaded (including rows kept with a value left out)
   * @param rowsInvalid rows left out; the invalid-share rule counts these only
   * @param rowsKeptWithIssues loaded rows that had a value left out
   * @param expectedColumns the contract's column names, given when the header is wrong (else empty)
   * @param maxInvalidShare the share of invalid rows allowed, or null when not applied
   */
  public ValidationReport(
      String dataset,
      Integer contractVersion,
      Status status,
      long bytes,
      boolean bytesReadToEnd,
      String sha256,
      long rowsTotal,
      long rowsValid,
      long rowsInvalid,
      long rowsKeptWithIssues,
      Map<ReasonCode, Long> counts,
      List<FileIssue> fileIssues,
      List<RowIssue> rowIssues,
      boolean truncated,
      List<String> expectedColumns,
      Double maxInvalidShare) {
    this.dataset = dataset;
    this.contractVersion = contractVersion;
    this.status = status;
    this.bytes = bytes;
    this.bytesReadToEnd = bytesReadToEnd;
    this.sha256 = sha256;
    this.rowsTotal = rowsTotal;
    this.rowsValid = rowsValid;
    this.rowsInvalid = rowsInvalid;
    this.rowsKeptWithIssues = rowsKeptWithIssues;
    EnumMap<ReasonCode, Long> c = new EnumMap<>(ReasonCode.class);
    if (counts != null) {
      c.putAll(counts);
    }
    this.counts = Collections.unmodifiableMap(c);
    this.fileIssues = fileIssues == null ? List.of() : List.copyOf(fileIssues);
    this.rowIssues = rowIssues == null ? List.of() : List.copyOf(rowIssues);
    this.truncated = truncated;
    this.expectedColumns = expectedColumns == null ? List.of() : List.copyOf(expectedColumns);
    this.maxInvalidShare = maxInvalidShare;
  }

  /**
   * A rejection decided before any content was read (unknown dataset or partner, bad object
   * key...).
   *
   * @param dataset the dataset, or null when not known/trusted
   */
  public static ValidationReport rejected(String dataset, ReasonCode reason) {
    return new ValidationReport(
        dataset,
        null,
        Status.REJECTED,
        0,
        false,
        null,
        0,
        0,
        0,
        0,
        Map.of(reason, 1L),
        List.of(FileIssue.of(reason)),
        List.of(),
        false,
        List.of(),
        null);
  }

  public String dataset() {
    return dataset;
  }

  public Integer contractVersion() {
    return contractVersion;
  }

  public Status status() {
    return status;
  }

  public boolean isRejected() {
    return status == Status.REJECTED;
  }

  /**
   * Bytes read: the whole file (also when it was rejected: reading goes on to the end, counting and
   * hashing only), unless it is over the size limit, when reading stops one byte past the limit and
   * {@link #bytesReadToEnd()} is false.
   */
  public long bytes() {
    return bytes;
  }

  /** Whether {@link #bytes()} and {@link #sha256()} cover the whole file. */
  public boolean bytesReadToEnd() {
    return bytesReadToEnd;
  }

  /** Lower-case hex SHA-256 of the bytes read, or null when nothing was read. */
  public String sha256() {
    return sha256;
  }

  public long rowsTotal() {
    return rowsTotal;
  }

  public long rowsValid() {
    return rowsValid;
  }

  public long rowsInvalid() {
    return rowsInvalid;
  }

  /** Loaded rows that had at least one value left out (their issues have {@code rowKept}). */
  public long rowsKeptWithIssues() {
    return rowsKeptWithIssues;
  }

  /**
   * Number of occurrences of each reason (file and row issues; exact even when the list is
   * truncated).
   */
  public Map<ReasonCode, Long> counts() {
    return counts;
  }

  public long count(ReasonCode reason) {
    return counts.getOrDefault(reason, 0L);
  }

  public List<FileIssue> fileIssues() {
    return fileIssues;
  }

  public List<RowIssue> rowIssues() {
    return rowIssues;
  }

  /** Whether more issues were found than listed. */
  public boolean truncated() {
    return truncated;
  }

  public List<String> expectedColumns() {
    return expectedColumns;
  }

  public Double maxInvalidShare() {
    return maxInvalidShare;
  }

  /** The report as JSON (the document written under {@code reports/<partner>/...}). */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("dataset", dataset);
    if (contractVersion == null) {
      root.putNull("contractVersion");
    } else {
      root.put("contractVersion", contractVersion);
    }
    root.put("status", status.name());
    root.put("bytes", bytes);
    root.put("bytesReadToEnd", bytesReadToEnd);
    root.put("sha256", sha256);
    ObjectNode rows = root.putObject("rows");
    rows.put("total", rowsTotal);
    rows.put("valid", rowsValid);
    rows.put("invalid", rowsInvalid);
    rows.put("keptWithValuesLeftOut", rowsKeptWithIssues);
    if (maxInvalidShare != null) {
      root.put("maxInvalidShare", maxInvalidShare);
    }
    ObjectNode byReason = root.putObject("counts");
    counts.forEach((r, n) -> byReason.put(r.name(), n));
    ArrayNode files = root.putArray("fileIssues");
    for (FileIssue f : fileIssues) {
      ObjectNode o = files.addObject();
      o.put("reason", f.reason().name());
      if (f.row() != null) {
        o.put("row", f.row());
      }
      if (f.column() != null) {
        o.put("column", f.column());
      }
      if (f.position() != null) {
        o.put("position", f.position());
      }
      o.put("message", fileMessage(f));
    }
    ArrayNode rowsList = root.putArray("rowIssues");
    for (RowIssue r : rowIssues) {
      ObjectNode o = rowsList.addObject();
      o.put("row", r.row());
      if (r.column() != null) {
        o.put("column", r.column());
      }
      o.put("reason", r.reason().name());
      o.put("rowKept", r.rowKept());
      if (r.relatedRow() != null) {
        o.put("relatedRow", r.relatedRow());
      }
    }
    root.put("truncated", truncated);
    if (!expectedColumns.isEmpty()) {
      ArrayNode cols = root.putArray("expectedColumns");
      expectedColumns.forEach(cols::add);
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report serialisation failed", e);
    }
  }

  /** A short plain-text summary for the partner: the result, what is wrong and what to do. */
  public String toSummaryText() {
    StringBuilder s = new StringBuilder(512);
    s.append("FamilyLink validation report\n");
    s.append("Dataset: ").append(dataset == null ? "(not recognised)" : dataset);
    if (contractVersion != null) {
      s.append(" (contract version ").append(contractVersion).append(')');
    }
    s.append('\n');
    switch (status) {
      case ACCEPTED ->
          s.append(
              rowsTotal == 0
                  ? "Result: ACCEPTED, but the file has no rows (a header only): nothing was loaded.\n"
                  : "Result: ACCEPTED. " + rows(rowsValid) + " loaded.\n");
      case ACCEPTED_WITH_ERRORS -> {
        s.append("Result: ACCEPTED WITH ERRORS. ")
            .append(rows(rowsValid))
            .append(" loaded; ")
            .append(rows(rowsInvalid))
            .append(" left out because of the problems below.");
        if (rowsKeptWithIssues > 0) {
          s.append(' ')
              .append(rows(rowsKeptWithIssues))
              .append(" loaded without one or more bad values (marked \"value left out\").");
        }
        s.append(
            " Correct them in your system; a corrected row re-sent with the same record_ref"
                + " replaces the one loaded.\n");
      }
      case REJECTED ->
          s.append(
              "Result: REJECTED. Nothing from this file was loaded. Fix the problems"
                  + " below and upload the whole file again.\n");
    }
    if (bytes > 0 || rowsTotal > 0) {
      s.append("Rows read: ")
          .append(rowsTotal)
          .append(" (valid ")
          .append(rowsValid)
          .append(", invalid ")
          .append(rowsInvalid)
          .append("). Bytes read: ")
          .append(bytesReadToEnd ? "" : "at least ")
          .append(bytes)
          .append(bytesReadToEnd ? "" : " (reading stopped at the size limit)")
          .append(".\n");
    }
    if (!fileIssues.isEmpty()) {
      s.append("\nProblems with the file:\n");
      for (FileIssue f : fileIssues) {
        s.append(" - ").append(fileMessage(f)).append('\n');
      }
      if (!expectedColumns.isEmpty()) {
        s.append("The header must name these columns (any order): ")
            .append(String.join(", ", expectedColumns))
            .append(".\n");
      }
    }
    boolean anyRowReason = false;
    for (Map.Entry<ReasonCode, Long> e : counts.entrySet()) {
      String advice = rowAdvice(e.getKey());
      if (advice == null) {
        continue;
      }
      if (!anyRowReason) {
        s.append("\nProblems in rows (number of occurrences):\n");
        anyRowReason = true;
      }
      s.append(" - ")
          .append(e.getKey().name())
          .append(" x")
          .append(e.getValue())
          .append(": ")
          .append(advice)
          .append('\n');
    }
    if (!rowIssues.isEmpty()) {
      s.append("\nFirst rows with problems (row 1 is the first line after the header):\n");
      int n = Math.min(SUMMARY_LISTED, rowIssues.size());
      for (int i = 0; i < n; i++) {
        RowIssue r = rowIssues.get(i);
        s.append(" - row ").append(r.row());
        if (r.column() != null) {
          s.append(", column ").append(r.column());
        }
        s.append(": ").append(r.reason().name());
        if (r.relatedRow() != null) {
          s.append(" (as row ").append(r.relatedRow()).append(')');
        }
        s.append(r.rowKept() ? " - value left out, row loaded\n" : " - row left out\n");
      }
      if (rowIssues.size() > n || truncated) {
        s.append(" - ... more in the full JSON report")
            .append(truncated ? " (itself capped)" : "")
            .append('\n');
      }
    }
    return s.toString();
  }

  private String fileMessage(FileIssue f) {
    String at =
        f.row() == null
            ? ""
            : f.row() == 0 ? " (in the header line)" : " (near data row " + f.row() + ")";
    return switch (f.reason()) {
      case UNKNOWN_PARTNER ->
          "The upload folder does not name a known partner. Upload under incoming/<your partner name>/<dataset>/.";
      case UNKNOWN_DATASET ->
          "The upload folder does not name a known dataset. Upload under incoming/<partner>/<dataset>/ using a dataset agreed with the council.";
      case DATASET_NOT_FOR_PARTNER ->
          "Your organisation is not set up to send this dataset. Check the folder name or contact the council's data team.";
      case UPLOADER_NOT_PARTNER ->
          "The file was uploaded with credentials of another organisation than the folder names. Upload into your own folder.";
      case BAD_OBJECT_KEY ->
          "The file name or folder is not valid. Upload as incoming/<partner>/<dataset>/<name>.csv.";
      case EMPTY_FILE ->
          "The file is empty (0 bytes). Export the extract again and upload the complete file.";
      case FILE_TOO_LARGE ->
          "The file is larger than this dataset's size limit. Split the extract into several files and upload each.";
      case TOO_MANY_ROWS ->
          "The file has more rows than this dataset's limit. Split the extract into several files and upload each.";
      case NOT_UTF8 -> "The file is not UTF-8 text" + at + ". Save or export it as \"CSV UTF-8\".";
      case BINARY_CONTENT ->
          "The file contains binary data: it may be a spreadsheet, archive or PDF rather than CSV text. Export it as \"CSV UTF-8\".";
      case MISSING_HEADER ->
          "The first line is not a header naming the contract's columns. Add the header line as the first line of the file.";
      case HEADER_MISSING_COLUMN ->
          "The header has no column \""
              + f.column()
              + "\". Add it (its cells may be empty where the value is optional).";
      case HEADER_UNEXPECTED_COLUMN ->
          "Column "
              + f.position()
              + " of the header is not part of this dataset's contract. Remove that column or rename it to a contract column.";
      case HEADER_DUPLICATE_COLUMN ->
          "The column \""
              + f.column()
              + "\" appears more than once in the header (again at column "
              + f.position()
              + "). Keep only one.";
      case UNTERMINATED_QUOTE ->
          "A quoted value is opened but never closed"
              + at
              + ". Check the quote characters in that row; a quote inside a quoted value must be doubled (\"\").";
      case MALFORMED_CSV ->
          "The file is not valid CSV"
              + at
              + ", e.g. text after a closing quote. Quote values that contain commas, quotes or line breaks, and double any quote inside them.";
      case TOO_MANY_FIELDS ->
          "A line has far more values than the header"
              + at
              + ". Check for a line of separators or a broken export.";
      case ROW_TOO_LONG ->
          "A line is far longer than any valid row"
              + at
              + ", or a quote opened there is never closed. Check that row.";
      case FIELD_TOO_LONG ->
          "A value is far longer than any allowed value"
              + at
              + ", or a quote opened there is never closed. Check that row.";
      case TOO_MANY_INVALID_ROWS ->
          "Too many rows have problems ("
              + rowsInvalid
              + " of "
              + rowsTotal
              + (maxInvalidShare == null
                  ? ""
                  : "; at most " + percent(maxInvalidShare) + " are allowed")
              + "), so the file was not loaded. Fix the row problems below and upload the file again.";
      default -> f.reason().name() + at + ".";
    };
  }

  private static String rows(long n) {
    return n == 1 ? "1 row was" : n + " rows were";
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  /** Advice for row-level reasons; null for file-level ones. */
  private static String rowAdvice(ReasonCode r) {
    return switch (r) {
      case WRONG_FIELD_COUNT ->
          "the row has a different number of values than the header; check for unquoted commas.";
      case FIELD_TOO_LONG -> "a value is longer than allowed.";
      case REQUIRED_MISSING -> "a required value is empty.";
      case INVALID_DATE -> "not a real date; use yyyy-MM-dd or dd/MM/yyyy.";
      case FUTURE_DATE -> "the date is in the future.";
      case INVALID_INTEGER -> "not a whole number in the allowed range.";
      case INVALID_BOOLEAN -> "use Y or N.";
      case INVALID_CODE -> "not one of the codes agreed for this column.";
      case FORMULA_LIKE_VALUE ->
          "the value starts with =, +, -, @ or a tab, which spreadsheets run as a formula; remove that character.";
      case INVALID_NAME -> "not a usable name.";
      case INVALID_NHS_NUMBER -> "not a valid NHS number (10 digits with a correct check digit).";
      case INVALID_NINO ->
          "not a valid National Insurance number (e.g. two letters, six digits, A-D).";
      case INVALID_UPN ->
          "not a valid Unique Pupil Number (13 characters with a correct check letter).";
      case INVALID_ULN ->
          "not a valid Unique Learner Number (10 digits with a correct check digit).";
      case INVALID_PNC_ID -> "not a valid PNC ID (YY/NNNNNNNA with a correct check letter).";
      case INVALID_POSTCODE -> "not a valid UK postcode.";
      case INVALID_ADDRESS -> "not a usable address line (no letters or digits, or too long).";
      case INVALID_REFERENCE -> "not a usable reference.";
      case PLACEHOLDER_VALUE ->
          "a placeholder such as NULL, N/A, UNKNOWN or NONE instead of a name; leave the cell empty"
              + " when the name is not known.";
      case INVISIBLE_CHARACTER ->
          "the value holds an invisible or control character (zero-width space, text-direction"
              + " override, soft hyphen, control code); remove it.";
      case DUPLICATE_RECORD_REF ->
          "an earlier row of this file has the same record_ref, and the first loaded row wins;"
              + " give each row its own reference.";
      case NO_LINKABLE_IDENTIFIER ->
          "the row has nothing to link it by: give a valid NHS number, NI number, UPN, ULN or PNC ID, or given name, family name and date of birth.";
      default -> null;
    };
  }

  @Override
  public String toString() {
    // deliberately identical in spirit to the JSON: codes and counts only
    return "ValidationReport["
        + dataset
        + " v"
        + contractVersion
        + " "
        + status
        + " rows="
        + rowsTotal
        + " invalid="
        + rowsInvalid
        + " keptWithIssues="
        + rowsKeptWithIssues
        + " counts="
        + counts
        + "]";
  }
}
