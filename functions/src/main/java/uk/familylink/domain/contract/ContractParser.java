package uk.familylink.domain.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import uk.familylink.domain.identifier.IdentifierKind;
import uk.familylink.domain.need.Need;

/**
 * Reads and checks one contract file. Every mistake is reported with the file name and the path of
 * the offending setting, so a broken contract stops the service at start-up rather than at the
 * first upload.
 */
final class ContractParser {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern CODE = Pattern.compile("[A-Z0-9][A-Z0-9_]*");

  /** Codes of one column are handled as a 64-bit set by the validator. */
  static final int MAX_CODES = 64;

  private static final Set<String> TOP_KEYS =
      Set.of("dataset", "version", "description", "partners", "limits", "columns", "indicators");
  private static final Set<String> LIMIT_KEYS =
      Set.of("maxBytes", "maxRows", "maxFieldLength", "maxInvalidShare");
  private static final Set<String> COLUMN_KEYS =
      Set.of(
          "name",
          "type",
          "identifier",
          "required",
          "notFuture",
          "meaning",
          "codes",
          "min",
          "max",
          "keep",
          "mayBeAbsent");
  private static final Set<String> RULE_KEYS = Set.of("need", "when");

  private final String file;

  private ContractParser(String file) {
    this.file = file;
  }

  /**
   * Parses and checks a contract; {@code fileName} (e.g. {@code health.yaml}) must match its {@code
   * dataset}.
   */
  static DatasetContract parse(String fileName, InputStream in) {
    JsonNode root;
    try {
      root = YAML.readTree(in);
    } catch (IOException e) {
      // YAML syntax errors describe the contract file, never partner data
      throw new ContractException(
          "contract " + fileName + ": not valid YAML: " + e.getMessage(), e);
    }
    return new ContractParser(fileName).contract(root);
  }

  private DatasetContract contract(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw fail("", "the file must be a YAML mapping");
    }
    checkKeys(root, TOP_KEYS, "");
    String dataset = text(root, "dataset", "", true);
    if (!SLUG.matcher(dataset).matches()) {
      throw fail("dataset", "'" + dataset + "' must be lower-case words separated by hyphens");
    }
    String stem = file.replaceFirst("\\.ya?ml$", "");
    if (!stem.equals(dataset)) {
      throw fail("dataset", "'" + dataset + "' must match the file name (" + stem + ")");
    }
    JsonNode versionNode = root.get("version");
    if (versionNode == null
        || !versionNode.canConvertToInt()
        || !versionNode.isIntegralNumber()
        || versionNode.intValue() < 1) {
      throw fail("version", "must be a whole number >= 1");
    }
    String description = root.has("description") ? text(root, "description", "", false) : "";
    List<String> partners = partners(root.get("partners"));
    ContractLimits limits = limits(root.get("limits"));
    List<ColumnSpec> columns = columns(root.get("columns"));
    Map<String, ColumnSpec> byName = new HashMap<>();
    columns.forEach(c -> byName.put(c.name(), c));
    List<IndicatorRule> rules = rules(root.get("indicators"), byName);
    return new DatasetContract(
        dataset, versionNode.intValue(), description, partners, limits, columns, rules);
  }

  private List<String> partners(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw fail("partners", "must be a non-empty list of partner names");
    }
    Set<String> partners = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode p = node.get(i);
      if (!p.isTextual() || !SLUG.matcher(p.asText()).matches()) {
        throw fail("partners[" + i + "]", "must be lower-case words separated by hyphens");
      }
      if (!partners.add(p.asText())) {
        throw fail("partners[" + i + "]", "duplicate partner '" + p.asText() + "'");
      }
    }
    return List.copyOf(partners);
  }

  private ContractLimits limits(JsonNode node) {
    if (node == null || node.isNull()) {
      return ContractLimits.NONE;
    }
    if (!node.isObject()) {
      throw fail("limits", "must be a mapping");
    }
    checkKeys(node, LIMIT_KEYS, "limits");
    Long maxBytes = positiveLong(node, "maxBytes");
    Long maxRows = positiveLong(node, "maxRows");
    Long maxField = positiveLong(node, "maxFieldLength");
    if (maxField != null && maxField > 1_000_000) {
      throw fail("limits.maxFieldLength", "must be at most 1000000");
    }
    Double share = null;
    JsonNode s = node.get("maxInvalidShare");
    if (s != null) {
      if (!s.isNumber() || s.doubleValue() < 0 || s.doubleValue() > 1) {
        throw fail("limits.maxInvalidShare", "must be a number between 0 and 1");
      }
      share = s.doubleValue();
    }
    return new ContractLimits(
        maxBytes, maxRows, maxField == null ? null : maxField.intValue(), share);
  }

  private Long positiveLong(JsonNode node, String key) {
    JsonNode v = node.get(key);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 1) {
      throw fail("limits." + key, "must be a whole number >= 1");
    }
    return v.longValue();
  }

  private List<ColumnSpec> columns(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw fail("columns", "must be a non-empty list");
    }
    List<ColumnSpec> columns = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<IdentifierKind> kinds = EnumSet.noneOf(IdentifierKind.class);
    Set<ColumnMeaning> meanings = EnumSet.noneOf(ColumnMeaning.class);
    for (int i = 0; i < node.size(); i++) {
      ColumnSpec c = column(node.get(i), "columns[" + i + "]");
      String where = "columns[" + i + "] (" + c.name() + ")";
      if (!names.add(c.name())) {
        throw fail(where, "duplicate column name");
      }
      if (c.identifier() != null && !kinds.add(c.identifier())) {
        throw fail(
            where, "a second column with identifier " + c.identifier() + " (one column per kind)");
      }
      if (c.meaning() != null && !meanings.add(c.meaning())) {
        throw fail(where, "a second column with meaning " + c.meaning());
      }
      columns.add(c);
    }
    ColumnSpec recordRef =
        columns.stream()
            .filter(c -> c.identifier() == IdentifierKind.RECORD_REF)
            .findFirst()
            .orElseThrow(
                () ->
                    fail(
                        "columns",
                        "needs a column with identifier RECORD_REF (the row's reference)"));
    if (!recordRef.required()) {
      throw fail(
          "columns (" + recordRef.name() + ")", "the RECORD_REF column must be required: true");
    }
    return columns;
  }

  private ColumnSpec column(JsonNode c, String where) {
    if (c == null || !c.isObject()) {
      throw fail(where, "must be a mapping");
    }
    checkKeys(c, COLUMN_KEYS, where);
    String name = text(c, "name", where, true);
    if (!NAME.matcher(name).matches()) {
      throw fail(where, "name '" + name + "' must be lower-case snake_case");
    }
    where = where + " (" + name + ")";
    ColumnType type = enumValue(ColumnType.class, text(c, "type", where, true), where + ".type");
    IdentifierKind kind =
        c.has("identifier")
            ? enumValue(
                IdentifierKind.class, text(c, "identifier", where, true), where + ".identifier")
            : null;
    ColumnMeaning meaning =
        c.has("meaning")
            ? enumValue(ColumnMeaning.class, text(c, "meaning", where, true), where + ".meaning")
            : null;
    boolean required = bool(c, "required", where);
    boolean notFuture = bool(c, "notFuture", where);
    boolean keep = bool(c, "keep", where);
    boolean mayBeAbsent = bool(c, "mayBeAbsent", where);
    if (mayBeAbsent && required) {
      throw fail(where, "mayBeAbsent is only allowed on optional columns");
    }
    if (type == ColumnType.IDENTIFIER && kind == null) {
      throw fail(
          where,
          "an IDENTIFIER column needs 'identifier' (one of "
              + Arrays.toString(IdentifierKind.values())
              + ")");
    }
    if (type != ColumnType.IDENTIFIER && kind != null) {
      throw fail(where, "'identifier' is only allowed on IDENTIFIER columns");
    }
    if (type == ColumnType.IDENTIFIER && keep) {
      throw fail(
          where,
          "keep: true is not allowed on an IDENTIFIER column (identifiers are only kept as pseudonyms)");
    }
    if (notFuture && type != ColumnType.DATE) {
      throw fail(where, "notFuture is only allowed on DATE columns");
    }
    if (meaning != null && meaning.requiredType() != type) {
      throw fail(where, "meaning " + meaning + " needs a " + meaning.requiredType() + " column");
    }
    List<String> codes = List.of();
    boolean codeType = type == ColumnType.CODE || type == ColumnType.CODE_LIST;
    if (codeType) {
      codes = codes(c.get("codes"), where + ".codes", null);
      if (codes.size() > MAX_CODES) {
        throw fail(where + ".codes", "at most " + MAX_CODES + " codes");
      }
    } else if (c.has("codes")) {
      throw fail(where, "'codes' is only allowed on CODE and CODE_LIST columns");
    }
    Long min = null;
    Long max = null;
    if (type == ColumnType.INTEGER) {
      min = longOrNull(c, "min", where);
      max = longOrNull(c, "max", where);
      if (min != null && max != null && min > max) {
        throw fail(where, "min is greater than max");
      }
    } else if (c.has("min") || c.has("max")) {
      throw fail(where, "'min'/'max' are only allowed on INTEGER columns");
    }
    return new ColumnSpec(
        name, type, kind, required, notFuture, meaning, codes, min, max, keep, mayBeAbsent);
  }

  private List<String> codes(JsonNode node, String where, List<String> allowed) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw fail(where, "must be a non-empty list of codes");
    }
    Set<String> codes = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode v = node.get(i);
      if (!v.isValueNode() || v.isNull()) {
        throw fail(where + "[" + i + "]", "must be a code");
      }
      String code = v.asText().trim().toUpperCase(Locale.ROOT);
      if (!CODE.matcher(code).matches()) {
        throw fail(
            where + "[" + i + "]",
            "code '" + v.asText() + "' must be letters, digits and underscores");
      }
      if (allowed != null && !allowed.contains(code)) {
        throw fail(
            where + "[" + i + "]",
            "code '" + code + "' is not one of the column's codes " + allowed);
      }
      if (!codes.add(code)) {
        throw fail(where + "[" + i + "]", "duplicate code '" + code + "'");
      }
    }
    return List.copyOf(codes);
  }

  private List<IndicatorRule> rules(JsonNode node, Map<String, ColumnSpec> columns) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw fail("indicators", "must be a list");
    }
    List<IndicatorRule> rules = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String where = "indicators[" + i + "]";
      JsonNode r = node.get(i);
      if (r == null || !r.isObject()) {
        throw fail(where, "must be a mapping with 'need' and 'when'");
      }
      checkKeys(r, RULE_KEYS, where);
      Need need = enumValue(Need.class, text(r, "need", where, true), where + ".need");
      if (!r.has("when")) {
        throw fail(where, "missing 'when'");
      }
      rules.add(new IndicatorRule(need, condition(r.get("when"), where + ".when", columns)));
    }
    return List.copyOf(rules);
  }

  private Condition condition(JsonNode n, String where, Map<String, ColumnSpec> columns) {
    if (n == null || !n.isObject()) {
      throw fail(where, "a condition must be a mapping");
    }
    if (n.has("all") || n.has("any")) {
      String key = n.has("all") ? "all" : "any";
      checkKeys(n, Set.of(key), where);
      JsonNode list = n.get(key);
      if (!list.isArray() || list.isEmpty()) {
        throw fail(where + "." + key, "must be a non-empty list of conditions");
      }
      List<Condition> parts = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        parts.add(condition(list.get(i), where + "." + key + "[" + i + "]", columns));
      }
      return key.equals("all") ? new Condition.All(parts) : new Condition.Any(parts);
    }
    if (n.has("ratio")) {
      checkKeys(n, Set.of("ratio", "atLeast"), where);
      JsonNode ratio = n.get("ratio");
      if (!ratio.isObject()) {
        throw fail(where + ".ratio", "must be a mapping with numerator and denominator");
      }
      checkKeys(ratio, Set.of("numerator", "denominator"), where + ".ratio");
      String num = text(ratio, "numerator", where + ".ratio", true);
      String den = text(ratio, "denominator", where + ".ratio", true);
      requireColumn(columns, num, ColumnType.INTEGER, where + ".ratio.numerator");
      requireColumn(columns, den, ColumnType.INTEGER, where + ".ratio.denominator");
      JsonNode t = n.get("atLeast");
      if (t == null || !t.isNumber()) {
        throw fail(where, "a ratio condition needs a numeric 'atLeast'");
      }
      return new Condition.Ratio(num, den, t.doubleValue());
    }
    if (n.has("column")) {
      String column = text(n, "column", where, true);
      List<String> ops = new ArrayList<>();
      n.fieldNames()
          .forEachRemaining(
              f -> {
                if (!f.equals("column")) {
                  ops.add(f);
                }
              });
      if (ops.size() != 1) {
        throw fail(where, "needs exactly one of in, contains, isTrue, atLeast besides 'column'");
      }
      String op = ops.get(0);
      switch (op) {
        case "in" -> {
          ColumnSpec c = requireColumn(columns, column, ColumnType.CODE, where + ".column");
          return new Condition.In(column, codes(n.get("in"), where + ".in", c.codes()));
        }
        case "contains" -> {
          ColumnSpec c = requireColumn(columns, column, ColumnType.CODE_LIST, where + ".column");
          return new Condition.Contains(
              column, codes(n.get("contains"), where + ".contains", c.codes()));
        }
        case "isTrue" -> {
          requireColumn(columns, column, ColumnType.BOOLEAN, where + ".column");
          JsonNode v = n.get("isTrue");
          if (!v.isBoolean()) {
            throw fail(where + ".isTrue", "must be true or false");
          }
          return new Condition.Is(column, v.booleanValue());
        }
        case "atLeast" -> {
          requireColumn(columns, column, ColumnType.INTEGER, where + ".column");
          JsonNode v = n.get("atLeast");
          if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw fail(where + ".atLeast", "must be a whole number");
          }
          return new Condition.AtLeast(column, v.longValue());
        }
        default ->
            throw fail(
                where, "unknown condition '" + op + "' (expected in, contains, isTrue, atLeast)");
      }
    }
    throw fail(where, "unknown condition (expected column, ratio, all or any)");
  }

  private ColumnSpec requireColumn(
      Map<String, ColumnSpec> columns, String name, ColumnType type, String where) {
    ColumnSpec c = columns.get(name);
    if (c == null) {
      throw fail(where, "refers to column '" + name + "', which the contract does not define");
    }
    if (c.type() != type) {
      throw fail(
          where, "column '" + name + "' is " + c.type() + " but this condition needs " + type);
    }
    return c;
  }

  private void checkKeys(JsonNode node, Set<String> allowed, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw fail(
            where.isEmpty() ? key : where + "." + key,
            "unknown setting (allowed: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
  }

  private String text(JsonNode node, String key, String where, boolean required) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        throw fail(where.isEmpty() ? key : where + "." + key, "is required");
      }
      return "";
    }
    if (v.getNodeType() != JsonNodeType.STRING) {
      throw fail(where.isEmpty() ? key : where + "." + key, "must be text");
    }
    String s = v.asText().trim();
    if (required && s.isEmpty()) {
      throw fail(where.isEmpty() ? key : where + "." + key, "must not be empty");
    }
    return s;
  }

  private boolean bool(JsonNode node, String key, String where) {
    JsonNode v = node.get(key);
    if (v == null) {
      return false;
    }
    if (!v.isBoolean()) {
      throw fail(where + "." + key, "must be true or false");
    }
    return v.booleanValue();
  }

  private Long longOrNull(JsonNode node, String key, String where) {
    JsonNode v = node.get(key);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw fail(where + "." + key, "must be a whole number");
    }
    return v.longValue();
  }

  private <E extends Enum<E>> E enumValue(Class<E> type, String value, String where) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(value)) {
        return e;
      }
    }
    throw fail(
        where,
        "unknown value '"
            + value
            + "' (expected one of "
            + Arrays.toString(type.getEnumConstants())
            + ")");
  }

  private ContractException fail(String where, String problem) {
    return new ContractException(
        "contract " + file + ": " + (where.isEmpty() ? "" : where + ": ") + problem);
  }
}
