package uk.familylink.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The README's tour runs as written: its AWS CLI lines (between the readme-aws-cli markers) against
 * a serve on free ports (the only change: the ports), with the README's own credentials, then its
 * outputs commands (between the readme-familylink markers; the only change: the tour's folder as
 * --home and --out's base). Skipped with a message when the AWS CLI is not installed (required when
 * CI=true).
 */
class ReadmeTourCommandTest {

  private static final Path README = Path.of("..", "README.md");

  @TempDir Path dir;

  @Test
  void theToursAwsCliCommandsWorkAsWritten() throws Exception {
    Optional<Path> aws = findAws();
    if (aws.isEmpty()) {
      assertThat("true".equalsIgnoreCase(System.getenv("CI")))
          .as("the AWS CLI is required when CI=true")
          .isFalse();
      System.err.println("SKIPPED ReadmeTourCommandTest: the AWS CLI (aws) is not installed");
      Assumptions.abort("the AWS CLI is not installed");
    }
    List<String> block = tourBlock(Files.readAllLines(README, StandardCharsets.UTF_8));
    Map<String, String> env = new HashMap<>();
    List<List<String>> commands = new ArrayList<>();
    for (String line : block) {
      List<String> words = Arrays.asList(line.trim().split("\\s+"));
      if (words.get(0).equals("export")) {
        for (String kv : words.subList(1, words.size())) {
          int eq = kv.indexOf('=');
          env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      } else {
        assertThat(words.get(0)).as(line).isEqualTo("aws");
        commands.add(words);
      }
    }
    assertThat(env).containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    assertThat(commands).hasSizeGreaterThanOrEqualTo(4);
    // The README's step 1: the synthetic extracts under tour/.
    assertThat(
            FamilyLinkCli.commandLine()
                .execute("generate", "--families", "30", "--out", dir.resolve("tour").toString()))
        .isZero();

    try (ServeInThisJvm serve = new ServeInThisJvm(dir.resolve(".familylink"))) {
      String s3 = serve.endpoints().get("s3");
      String dynamo = serve.endpoints().get("dynamodb");
      List<String> outputs = new ArrayList<>();
      for (List<String> words : commands) {
        List<String> command = new ArrayList<>();
        command.add(aws.get().toString());
        for (String w : words.subList(1, words.size())) {
          command.add(
              w.replace("http://127.0.0.1:4566", s3).replace("http://127.0.0.1:8000", dynamo));
        }
        if (command.contains("ls")
            || command.contains("--recursive")
            || command.get(command.size() - 1).equals("-")) {
          awaitReports(s3, env);
        }
        outputs.add(run(command, env));
      }
      // The reports the tour copied down (one per uploaded version).
      try (var copied = Files.walk(dir.resolve("tour").resolve("reports"))) {
        for (Path p : copied.filter(p -> p.toString().endsWith(".report.txt")).toList()) {
          outputs.add(Files.readString(p, StandardCharsets.UTF_8));
        }
      }
      String all = String.join("\n", outputs);
      assertThat(all)
          .containsPattern("police-incidents\\.csv\\.s[0-9A-Fa-f]+\\.report\\.txt")
          .contains("Result: ACCEPTED")
          .contains("familylink-linked")
          .contains("\"Count\"");

      // Step 4: the outputs commands on what serve ingested (attached to it, as in the tour).
      List<List<String>> familylink =
          familylinkBlock(Files.readAllLines(README, StandardCharsets.UTF_8));
      assertThat(familylink).hasSize(3);
      for (List<String> words : familylink) {
        List<String> args = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
          boolean isOut = i > 1 && words.get(i - 1).equals("--out");
          args.add(isOut ? dir.resolve(words.get(i)).toString() : words.get(i));
        }
        args.add("--home");
        args.add(dir.resolve(".familylink").toString());
        assertThat(FamilyLinkCli.commandLine().execute(args.toArray(String[]::new)))
            .as(String.join(" ", words))
            .isZero();
      }
      assertThat(dir.resolve("tour/statistics/report.html")).isNotEmptyFile();
      assertThat(dir.resolve("tour/releases/exports/tour-study/manifest.json")).isNotEmptyFile();
      try (var written = Files.walk(dir.resolve("tour/outputs"))) {
        assertThat(written.filter(p -> p.toString().endsWith("summary.txt"))).hasSize(2);
      }
    }
  }

  /**
   * The {@code ./familylink} lines between the readme-familylink markers, as words (a comment after
   * {@code #} dropped, double quotes grouping words as the shell does).
   */
  static List<List<String>> familylinkBlock(List<String> readme) {
    List<List<String>> commands = new ArrayList<>();
    boolean inside = false;
    for (String line : readme) {
      if (line.startsWith("<!-- readme-familylink: begin")) {
        inside = true;
      } else if (line.startsWith("<!-- readme-familylink: end")) {
        inside = false;
      } else if (inside && line.startsWith("./familylink ")) {
        commands.add(shellWords(line));
      }
    }
    return commands;
  }

  private static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (c == '#' && !quoted && !any) {
        break;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) {
          words.add(word.toString());
          word.setLength(0);
          any = false;
        }
      } else {
        word.append(c);
        any = true;
      }
    }
    if (any) {
      words.add(word.toString());
    }
    return words;
  }

  /** Waits until serve has written both uploads' reports (the README says it takes a moment). */
  private static void awaitReports(String s3Endpoint, Map<String, String> env)
      throws InterruptedException {
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(java.net.URI.create(s3Endpoint))
            .forcePathStyle(true)
            .region(Region.of(env.getOrDefault("AWS_DEFAULT_REGION", "eu-west-2")))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
            .build()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline) {
        long txt =
            s3
                .listObjectsV2(b -> b.bucket("familylink-landing").prefix("reports/"))
                .contents()
                .stream()
                .filter(o -> o.key().endsWith(".report.txt"))
                .count();
        if (txt >= 2) {
          return;
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError("no reports 90 s after the uploads");
  }

  private String run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  static List<String> tourBlock(List<String> readme) {
    List<String> out = new ArrayList<>();
    boolean inside = false;
    for (String line : readme) {
      if (line.startsWith("<!-- readme-aws-cli: begin")) {
        inside = true;
      } else if (line.startsWith("<!-- readme-aws-cli: end")) {
        inside = false;
      } else if (inside && !line.startsWith("```") && !line.isBlank()) {
        out.add(line);
      }
    }
    return out;
  }

  /** {@code aws} on PATH, or in pyenv's shims (on PATH only in a login shell). */
  static Optional<Path> findAws() {
    List<Path> folders = new ArrayList<>();
    java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(File.pathSeparator))
        .splitAsStream(System.getenv().getOrDefault("PATH", ""))
        .filter(p -> !p.isBlank())
        .forEach(p -> folders.add(Path.of(p)));
    String pyenvRoot = System.getenv("PYENV_ROOT");
    folders.add(
        pyenvRoot != null
            ? Path.of(pyenvRoot, "shims")
            : Path.of(System.getProperty("user.home"), ".pyenv", "shims"));
    return folders.stream().map(f -> f.resolve("aws")).filter(Files::isExecutable).findFirst();
  }
}
