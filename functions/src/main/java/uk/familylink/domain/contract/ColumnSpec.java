package uk.familylink.domain.contract;

import java.util.List;
import uk.familylink.domain.identifier.IdentifierKind;

/**
 * One column of a dataset contract. Column names are lower-case snake_case and are matched against
 * the header case-insensitively after trimming.
 *
 * @param name column name as it appears in the header
 * @param type value type
 * @param identifier identifier kind, for IDENTIFIER columns only (else null)
 * @param required a blank cell makes the row invalid
 * @param notFuture for DATE columns: a date after today makes the row invalid
 * @param meaning optional meaning for linkage and reporting (else null)
 * @param codes allowed codes (upper case) for CODE and CODE_LIST columns (else empty)
 * @param min optional lower bound for INTEGER columns
 * @param max optional upper bound for INTEGER columns
 * @param keep keep the normalised value as a row attribute (never allowed on IDENTIFIER columns)
 * @param mayBeAbsent an optional column a header may leave out (its cells are then blank): lets a
 *     contract gain an optional column without refusing the extracts partners already send
 */
public record ColumnSpec(
    String name,
    ColumnType type,
    IdentifierKind identifier,
    boolean required,
    boolean notFuture,
    ColumnMeaning meaning,
    List<String> codes,
    Long min,
    Long max,
    boolean keep,
    boolean mayBeAbsent) {

  public ColumnSpec {
    codes = codes == null ? List.of() : List.copyOf(codes);
    if (mayBeAbsent && required) {
      throw new IllegalArgumentException("a required column cannot be absent from the header");
    }
  }
}
