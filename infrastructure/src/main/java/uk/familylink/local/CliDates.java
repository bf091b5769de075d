package uk.familylink.local;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import picocli.CommandLine.ITypeConverter;

/** Dates on the command line: {@code yyyy-MM-dd} or {@code dd/MM/yyyy}, everywhere. */
final class CliDates implements ITypeConverter<LocalDate> {

  private static final DateTimeFormatter UK =
      DateTimeFormatter.ofPattern("dd/MM/uuuu").withResolverStyle(ResolverStyle.STRICT);

  /**
   * @throws DateTimeParseException when it is neither form (or not a real date)
   */
  static LocalDate parse(String text) {
    String t = text.trim();
    return t.contains("/") ? LocalDate.parse(t, UK) : LocalDate.parse(t);
  }

  @Override
  public LocalDate convert(String value) {
    try {
      return parse(value);
    } catch (DateTimeParseException e) {
      throw new picocli.CommandLine.TypeConversionException(
          "'"
              + value
              + "' is not a date: use yyyy-MM-dd or dd/MM/yyyy, e.g. 2027-03-31 or 31/03/2027");
    }
  }
}
