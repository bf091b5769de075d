package uk.familylink.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as plain maps and lists, with CloudFormation's short-form tags turned into their
 * long forms ({@code !Ref X} becomes {@code {"Ref": "X"}}, {@code !GetAtt A.B} becomes {@code
 * {"Fn::GetAtt": ["A", "B"]}}), plus the few helpers the security tests share.
 */
final class CfnTemplate {

  /** The landing bucket's name as every place that cannot !Ref it spells it. */
  static final String LANDING_BUCKET_NAME =
      "${DeploymentName}-landing-${AWS::AccountId}-${AWS::Region}";

  static final String LANDING_BUCKET_ARN = "arn:${AWS::Partition}:s3:::" + LANDING_BUCKET_NAME;

  private static final Map<String, String> SHORT_FORMS =
      Map.ofEntries(
          Map.entry("!Ref", "Ref"),
          Map.entry("!Condition", "Condition"),
          Map.entry("!Sub", "Fn::Sub"),
          Map.entry("!GetAtt", "Fn::GetAtt"),
          Map.entry("!If", "Fn::If"),
          Map.entry("!Equals", "Fn::Equals"),
          Map.entry("!Join", "Fn::Join"),
          Map.entry("!Select", "Fn::Select"),
          Map.entry("!Split", "Fn::Split"),
          Map.entry("!FindInMap", "Fn::FindInMap"),
          Map.entry("!Not", "Fn::Not"),
          Map.entry("!And", "Fn::And"),
          Map.entry("!Or", "Fn::Or"),
          Map.entry("!ImportValue", "Fn::ImportValue"),
          Map.entry("!GetAZs", "Fn::GetAZs"),
          Map.entry("!Base64", "Fn::Base64"),
          Map.entry("!Cidr", "Fn::Cidr"),
          Map.entry("!ToJsonString", "Fn::ToJsonString"),
          Map.entry("!Length", "Fn::Length"));

  private final Path file;
  private final Map<String, Object> root;

  private CfnTemplate(Path file, Map<String, Object> root) {
    this.file = file;
    this.root = root;
  }

  static CfnTemplate load() {
    return load(locate());
  }

  static CfnTemplate load(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Map<String, Object> root = new Yaml(new IntrinsicConstructor()).load(reader);
      return new CfnTemplate(file, root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  static CfnTemplate parse(String yaml) {
    return new CfnTemplate(Path.of("inline.yaml"), new Yaml(new IntrinsicConstructor()).load(yaml));
  }

  /** template.yaml at the repository root, found from the module directory surefire runs in. */
  static Path locate() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("template.yaml");
      if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("infrastructure"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "template.yaml not found above " + Path.of("").toAbsolutePath());
  }

  Path file() {
    return file;
  }

  Map<String, Object> root() {
    return root;
  }

  Map<String, Object> section(String name) {
    return map(root.get(name));
  }

  /** Resources as written (Fn::ForEach loops left in place). */
  Map<String, Object> rawResources() {
    return section("Resources");
  }

  /** Resources with top-level Fn::ForEach loops expanded over the given collection values. */
  Map<String, Map<String, Object>> resources(List<String> loopValues) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : rawResources().entrySet()) {
      if (e.getKey().startsWith("Fn::ForEach::")) {
        List<Object> loop = list(e.getValue());
        String identifier = (String) loop.get(0);
        for (String value : loopValues) {
          Map<String, Object> fragment = map(substitute(loop.get(2), identifier, value));
          fragment.forEach((k, v) -> out.put(k, map(v)));
        }
      } else {
        out.put(e.getKey(), map(e.getValue()));
      }
    }
    return out;
  }

  /** Resources expanded with the Partners parameter's default list. */
  Map<String, Map<String, Object>> resources() {
    return resources(defaultPartners());
  }

  Map<String, Map<String, Object>> resourcesOfType(String type) {
    return resources().entrySet().stream()
        .filter(e -> type.equals(e.getValue().get("Type")))
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  Map<String, Object> resource(String logicalId) {
    Map<String, Object> r = resources().get(logicalId);
    if (r == null) {
      throw new AssertionError("template has no resource " + logicalId);
    }
    return r;
  }

  static Map<String, Object> properties(Map<String, Object> resource) {
    return map(resource.getOrDefault("Properties", Map.of()));
  }

  List<String> defaultPartners() {
    String def = String.valueOf(map(section("Parameters").get("Partners")).get("Default"));
    List<String> out = new ArrayList<>();
    for (String p : def.split(",", -1)) {
      out.add(p.trim());
    }
    return out;
  }

  /**
   * Globals.Function merged under a function's own properties (one level deep, as SAM does for
   * maps).
   */
  Map<String, Object> functionProperties(String logicalId) {
    Map<String, Object> globals = map(map(section("Globals").get("Function")));
    Map<String, Object> own = properties(resource(logicalId));
    Map<String, Object> merged = new LinkedHashMap<>(globals);
    own.forEach((k, v) -> merged.merge(k, v, CfnTemplate::mergeValues));
    return merged;
  }

  @SuppressWarnings("unchecked")
  private static Object mergeValues(Object global, Object own) {
    if (global instanceof Map && own instanceof Map) {
      Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) global);
      ((Map<String, Object>) own).forEach((k, v) -> merged.merge(k, v, CfnTemplate::mergeValues));
      return merged;
    }
    return own;
  }

  /** Environment variables a function gets: Globals merged with its own. */
  Map<String, Object> environment(String functionId) {
    return map(map(functionProperties(functionId).get("Environment")).get("Variables"));
  }

  // ---------------------------------------------------------------------------------------------
  // Policies
  // ---------------------------------------------------------------------------------------------

  /** One statement of a policy document, with where it came from. */
  record Statement(String owner, String kind, Map<String, Object> body) {
    boolean allows() {
      return "Allow".equals(body.get("Effect"));
    }

    boolean denies() {
      return "Deny".equals(body.get("Effect"));
    }

    List<String> actions() {
      return strings(body.get("Action"));
    }

    /** Resources as text (Sub strings, ${X} for Ref, ${X.Attr} for GetAtt). */
    List<String> resources() {
      return texts(body.get("Resource"));
    }

    Map<String, Object> condition() {
      return map(body.getOrDefault("Condition", Map.of()));
    }

    /** AWS principals as text; "*" for the wildcard principal. */
    List<String> principals() {
      Object p = body.get("Principal");
      if (p == null) {
        return List.of();
      }
      if ("*".equals(p)) {
        return List.of("*");
      }
      Map<String, Object> m = map(p);
      List<String> out = new ArrayList<>();
      for (Object v : m.values()) {
        out.addAll(texts(v));
      }
      return out;
    }

    @Override
    public String toString() {
      return owner + "/" + kind + " " + body;
    }
  }

  /** Statements of IAM identity policies: inline role policies and IAM policy resources. */
  List<Statement> identityStatements() {
    List<Statement> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> r : resources().entrySet()) {
      Object type = r.getValue().get("Type");
      Map<String, Object> props = properties(r.getValue());
      if ("AWS::IAM::Role".equals(type)) {
        for (Object policy : list(props.getOrDefault("Policies", List.of()))) {
          out.addAll(statements(r.getKey(), "identity", map(policy).get("PolicyDocument")));
        }
      } else if ("AWS::IAM::Policy".equals(type) || "AWS::IAM::ManagedPolicy".equals(type)) {
        out.addAll(statements(r.getKey(), "identity", props.get("PolicyDocument")));
      }
    }
    return out;
  }

  /** Statements of resource policies: key policies, bucket, queue and topic policies. */
  List<Statement> resourcePolicyStatements() {
    List<Statement> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> r : resources().entrySet()) {
      Object type = r.getValue().get("Type");
      Map<String, Object> props = properties(r.getValue());
      if ("AWS::KMS::Key".equals(type)) {
        out.addAll(statements(r.getKey(), "key", props.get("KeyPolicy")));
      } else if ("AWS::S3::BucketPolicy".equals(type)
          || "AWS::SQS::QueuePolicy".equals(type)
          || "AWS::SNS::TopicPolicy".equals(type)) {
        out.addAll(statements(r.getKey(), "resource", props.get("PolicyDocument")));
      }
    }
    return out;
  }

  List<Statement> keyPolicy(String keyId) {
    return statements(keyId, "key", properties(resource(keyId)).get("KeyPolicy"));
  }

  /** Statements of the inline policies of one role. */
  List<Statement> rolePolicy(String roleId) {
    return identityStatements().stream().filter(s -> s.owner().equals(roleId)).toList();
  }

  private static List<Statement> statements(String owner, String kind, Object document) {
    if (document == null) {
      return List.of();
    }
    List<Statement> out = new ArrayList<>();
    for (Object s : list(map(document).get("Statement"))) {
      out.add(new Statement(owner, kind, map(s)));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Intrinsic helpers
  // ---------------------------------------------------------------------------------------------

  /**
   * A value as text: strings as they are, Fn::Sub as its template string, Ref as ${X}, GetAtt as
   * ${X.Attr}. Fn::If yields both branches (see {@link #texts}); other functions yield null.
   */
  static String text(Object value) {
    List<String> all = texts(value);
    return all.size() == 1 ? all.get(0) : null;
  }

  static List<String> texts(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof Number || value instanceof Boolean) {
      return List.of(String.valueOf(value));
    }
    if (value instanceof List<?> l) {
      List<String> out = new ArrayList<>();
      l.forEach(v -> out.addAll(texts(v)));
      return out;
    }
    Map<String, Object> m = map(value);
    if (m.size() == 1) {
      Map.Entry<String, Object> e = m.entrySet().iterator().next();
      switch (e.getKey()) {
        case "Ref" -> {
          return List.of("${" + e.getValue() + "}");
        }
        case "Fn::GetAtt" -> {
          return List.of("${" + String.join(".", strings(e.getValue())) + "}");
        }
        case "Fn::Sub" -> {
          return List.of(
              e.getValue() instanceof List<?> l ? (String) l.get(0) : (String) e.getValue());
        }
        case "Fn::If" -> {
          List<Object> branches = list(e.getValue());
          List<String> out = new ArrayList<>(texts(branches.get(1)));
          out.addAll(texts(branches.get(2)));
          return out;
        }
        default -> {}
      }
    }
    return List.of(String.valueOf(value));
  }

  /**
   * True if the value is {"Ref": id} or {"Fn::GetAtt": [id, ...]} or a Sub naming ${id} / ${id.X}.
   */
  static boolean references(Object value, String logicalId) {
    String t = text(value);
    return t != null
        && (t.equals("${" + logicalId + "}")
            || t.startsWith("${" + logicalId + ".")
            || t.contains("${" + logicalId + "}")
            || t.contains("${" + logicalId + "."));
  }

  static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map)) {
      throw new AssertionError("expected a mapping but found " + value);
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List)) {
      throw new AssertionError("expected a list but found " + value);
    }
    return (List<Object>) value;
  }

  /** Fn::ForEach substitution: ${id} with the value, &{id} with its alphanumerics only. */
  @SuppressWarnings("unchecked")
  static Object substitute(Object node, String identifier, String value) {
    if (node instanceof String s) {
      String alnum = value.replaceAll("[^0-9A-Za-z]", "");
      return s.replace("${" + identifier + "}", value).replace("&{" + identifier + "}", alnum);
    }
    if (node instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(substitute(v, identifier, value)));
      return out;
    }
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<String, Object>) m)
          .forEach(
              (k, v) ->
                  out.put(
                      (String) substitute(k, identifier, value), substitute(v, identifier, value)));
      // A Ref to the loop identifier is the value itself.
      if (out.size() == 1 && identifier.equals(out.get("Ref"))) {
        return value;
      }
      return out;
    }
    return node;
  }

  /** Names used as ${Name} in a Sub string. */
  static List<String> subVariables(String sub) {
    Matcher m = Pattern.compile("\\$\\{([^}!]+)}").matcher(Objects.requireNonNull(sub));
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** SnakeYAML constructor for the short-form intrinsic tags. */
  private static final class IntrinsicConstructor extends SafeConstructor {
    IntrinsicConstructor() {
      super(new LoaderOptions());
      SHORT_FORMS.forEach(
          (tag, function) -> yamlConstructors.put(new Tag(tag), new Intrinsic(function)));
    }

    private final class Intrinsic extends AbstractConstruct {
      private final String function;

      Intrinsic(String function) {
        this.function = function;
      }

      @Override
      public Object construct(Node node) {
        Object value;
        if (node instanceof ScalarNode scalar) {
          value = constructScalar(scalar);
          if ("Fn::GetAtt".equals(function)) {
            // !GetAtt Resource.Attribute; attributes may contain dots (Endpoint.Address).
            String[] parts = ((String) value).split("\\.", 2);
            value = List.of(parts[0], parts[1]);
          }
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else {
          value = constructMapping((MappingNode) node);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(function, value);
        return out;
      }
    }
  }
}
