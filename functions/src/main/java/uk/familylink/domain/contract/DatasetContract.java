package uk.familylink.domain.contract;

import java.util.List;
import java.util.Optional;

/**
 * The agreed shape of one dataset's extract: who may send it, its columns (in their canonical
 * order, which generators and templates follow), its limits and the needs its rows evidence. Loaded
 * from {@code infrastructure/contracts/<dataset>.yaml} by {@link ContractRegistry}.
 */
public record DatasetContract(
    String dataset,
    int version,
    String description,
    List<String> partners,
    ContractLimits limits,
    List<ColumnSpec> columns,
    List<IndicatorRule> indicators) {

  public DatasetContract {
    partners = List.copyOf(partners);
    columns = List.copyOf(columns);
    indicators = List.copyOf(indicators);
    limits = limits == null ? ContractLimits.NONE : limits;
    description = description == null ? "" : description;
  }

  /** The column called {@code name} (exact, lower-case contract name). */
  public Optional<ColumnSpec> column(String name) {
    for (ColumnSpec c : columns) {
      if (c.name().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Column names in canonical order. */
  public List<String> columnNames() {
    return columns.stream().map(ColumnSpec::name).toList();
  }
}
