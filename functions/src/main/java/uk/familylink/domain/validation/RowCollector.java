package uk.familylink.domain.validation;

import de.siegmar.fastcsv.reader.CsvCallbackHandler;
import de.siegmar.fastcsv.reader.RecordType;

/**
 * Receives FastCSV's parse callbacks into one reusable row buffer (no per-row record objects). A
 * cell longer than the field limit is not turned into a String, only flagged; cells past the
 * expected count are only counted, so a hostile row cannot make us allocate without bound.
 */
final class RowCollector extends CsvCallbackHandler<RowCollector> {

  final String[] fields;
  final boolean[] tooLong;
  private final int maxFieldLength;
  private int fieldCount;
  private RecordType recordType = RecordType.DATA;

  RowCollector(int capacity, int maxFieldLength) {
    this.fields = new String[capacity];
    this.tooLong = new boolean[capacity];
    this.maxFieldLength = maxFieldLength;
  }

  /** Fields in the current record, including those beyond capacity. */
  int count() {
    return fieldCount;
  }

  /** The field at {@code i}, or null when it was too long or beyond capacity. */
  String field(int i) {
    return i < fields.length ? fields[i] : null;
  }

  boolean isTooLong(int i) {
    return i < fields.length && tooLong[i];
  }

  /** An empty line, or a line holding one blank cell: skipped, never a row. */
  boolean isBlank() {
    if (recordType == RecordType.EMPTY || fieldCount == 0) {
      return true;
    }
    return fieldCount == 1 && !tooLong[0] && fields[0] != null && fields[0].isBlank();
  }

  @Override
  protected RecordType getRecordType() {
    return recordType;
  }

  @Override
  protected int getFieldCount() {
    return fieldCount;
  }

  @Override
  protected void beginRecord(long startingLineNumber) {
    fieldCount = 0;
    recordType = RecordType.DATA;
  }

  @Override
  protected void addField(char[] buf, int offset, int len, boolean quoted) {
    int i = fieldCount++;
    if (i < fields.length) {
      if (len > maxFieldLength) {
        fields[i] = null;
        tooLong[i] = true;
      } else {
        fields[i] = new String(buf, offset, len);
        tooLong[i] = false;
      }
    }
  }

  @Override
  protected void setComment(char[] buf, int offset, int len) {
    // comments are disabled in the reader; never a row
    recordType = RecordType.COMMENT;
  }

  @Override
  protected void setEmpty() {
    recordType = RecordType.EMPTY;
  }

  @Override
  protected RowCollector buildRecord() {
    return this;
  }
}
