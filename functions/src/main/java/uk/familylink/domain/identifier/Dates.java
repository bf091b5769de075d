package uk.familylink.domain.identifier;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * Strict date parsing for partner extracts: ISO {@code yyyy-MM-dd} and UK {@code dd/MM/yyyy} (also
 * {@code d/M/yyyy}).
 *
 * <p>Rules (part of normalisation v1, see {@link Identifiers}):
 *
 * <ul>
 *   <li>Leading and trailing whitespace is ignored; nothing else is.
 *   <li>ISO form: exactly four year digits, two month digits, two day digits, separated by {@code
 *       -}.
 *   <li>UK form: one or two day digits, one or two month digits, four year digits, separated by
 *       {@code /}. There is no US {@code MM/dd} reading and no two-digit year.
 *   <li>The date must exist (no 31/02/2020, 29/02 only in leap years) and its year must lie in
 *       1900..2100 inclusive.
 * </ul>
 *
 * Parsing is by hand rather than with {@code DateTimeFormatter}: it sits on the per-row hot path,
 * allocates nothing but the result, and never throws.
 */
public final class Dates {

  public static final int MIN_YEAR = 1900;
  public static final int MAX_YEAR = 2100;

  private Dates() {}

  /** The date, or null when {@code raw} is not a real date in an accepted format. */
  public static LocalDate parse(String raw) {
    int packed = parsePacked(raw);
    return packed < 0 ? null : LocalDate.of(packed / 10_000, packed / 100 % 100, packed % 100);
  }

  /**
   * The date as yyyy-MM-dd, or null when {@code raw} is not a real date in an accepted format:
   * exactly {@code iso(parse(raw))}, without building a LocalDate (this is the date-of-birth
   * normalisation, run for every row). A value already in that form is returned as it is.
   */
  public static String isoText(String raw) {
    int packed = parsePacked(raw);
    if (packed < 0) {
      return null;
    }
    if (raw.length() == 10 && raw.charAt(4) == '-') {
      return raw; // parsePacked accepted it, so it is exactly yyyy-MM-dd
    }
    return isoText(packed / 10_000, packed / 100 % 100, packed % 100);
  }

  /**
   * yyyy-MM-dd, as {@link LocalDate#toString} writes dates of years 1000..9999, without its
   * formatting machinery; null for null. Other years fall back to {@code toString}.
   */
  public static String iso(LocalDate date) {
    if (date == null) {
      return null;
    }
    int year = date.getYear();
    if (year < 1000 || year > 9999) {
      return date.toString();
    }
    return isoText(year, date.getMonthValue(), date.getDayOfMonth());
  }

  /** yyyy-MM-dd of a four-digit year. */
  private static String isoText(int year, int month, int day) {
    byte[] v = {
      (byte) ('0' + year / 1000),
      (byte) ('0' + year / 100 % 10),
      (byte) ('0' + year / 10 % 10),
      (byte) ('0' + year % 10),
      '-',
      (byte) ('0' + month / 10),
      (byte) ('0' + month % 10),
      '-',
      (byte) ('0' + day / 10),
      (byte) ('0' + day % 10)
    };
    return new String(v, StandardCharsets.ISO_8859_1);
  }

  /** year * 10000 + month * 100 + day of a real date in an accepted format, or -1. */
  private static int parsePacked(String raw) {
    if (raw == null) {
      return -1;
    }
    int start = 0;
    int end = raw.length();
    while (start < end && Identifiers.isSpace(raw.charAt(start))) {
      start++;
    }
    while (end > start && Identifiers.isSpace(raw.charAt(end - 1))) {
      end--;
    }
    int len = end - start;
    if (len == 10 && raw.charAt(start + 4) == '-') {
      return iso(raw, start);
    }
    if (len >= 8 && len <= 10) {
      return uk(raw, start, end);
    }
    return -1;
  }

  private static int iso(String s, int at) {
    if (s.charAt(at + 7) != '-') {
      return -1;
    }
    int year = digits(s, at, 4);
    int month = digits(s, at + 5, 2);
    int day = digits(s, at + 8, 2);
    return of(year, month, day);
  }

  private static int uk(String s, int start, int end) {
    int firstSlash = s.indexOf('/', start);
    if (firstSlash < 0 || firstSlash >= end) {
      return -1;
    }
    int secondSlash = s.indexOf('/', firstSlash + 1);
    if (secondSlash < 0 || secondSlash >= end) {
      return -1;
    }
    int dayLen = firstSlash - start;
    int monthLen = secondSlash - firstSlash - 1;
    int yearLen = end - secondSlash - 1;
    if (dayLen < 1 || dayLen > 2 || monthLen < 1 || monthLen > 2 || yearLen != 4) {
      return -1;
    }
    int day = digits(s, start, dayLen);
    int month = digits(s, firstSlash + 1, monthLen);
    int year = digits(s, secondSlash + 1, 4);
    return of(year, month, day);
  }

  /** The decimal value of {@code count} ASCII digits at {@code at}, or -1 if any is not a digit. */
  private static int digits(String s, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static int of(int year, int month, int day) {
    if (year < MIN_YEAR
        || year > MAX_YEAR
        || month < 1
        || month > 12
        || day < 1
        || day > lengthOfMonth(year, month)) {
      return -1;
    }
    return year * 10_000 + month * 100 + day;
  }

  private static int lengthOfMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }
}
