package uk.familylink.build;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the shaded Lambda jar without the AWS SDK operations no function calls (ADR 0220).
 *
 * <p>Each {@code Default*Client} references every operation's request and response classes, and the
 * verifier loads them when it links the client (a request is passed where an {@code SdkRequest} is
 * expected), so they cannot simply be left out. For every operation of the services named in the
 * operations file that is not listed there, the per-operation classes (its {@code Request}, {@code
 * Response}, {@code RequestMarshaller}, {@code Iterable} and {@code Publisher} classes and their
 * nested classes) are replaced by stubs of the same name, access, superclass and interfaces, with
 * no members: the clients still link, and calling such an operation fails with {@code
 * NoSuchMethodError}. Then every class of those services' {@code model}, {@code transform} and
 * {@code paginators} packages that no remaining class references (by its constant pool: class
 * entries, descriptors, signatures, string constants) is dropped — the shapes only the stubbed
 * operations used.
 *
 * <p>Fails when the operations file names an operation or service the jar does not have. That every
 * operation the code calls is listed is {@code SdkOperationsTest}'s check; that the result links is
 * {@code LambdaJarTest}'s.
 *
 * <p>Usage: {@code LambdaJarSlimmer <shaded jar> <operations file> [<copy of the input jar>]}. The
 * jar is rewritten in place; the optional third argument keeps the unslimmed jar (the link check
 * compares the two).
 */
public final class LambdaJarSlimmer {

  private static final String SERVICES = "software/amazon/awssdk/services/";
  private static final String AWS_REQUEST = "software/amazon/awssdk/awscore/AwsRequest";
  private static final List<String> PER_OPERATION_SUFFIXES =
      List.of("Request", "Response", "RequestMarshaller", "Iterable", "Publisher");
  private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L([A-Za-z0-9_$/]+);");

  private LambdaJarSlimmer() {}

  /** What a rewrite did. */
  public record Summary(
      long bytesBefore,
      long bytesAfter,
      int classesBefore,
      int stubbed,
      int removed,
      Map<String, Integer> operationsKept,
      Map<String, Integer> operationsStubbed) {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      throw new IllegalArgumentException(
          "usage: LambdaJarSlimmer <shaded jar> <operations file> [<copy of the input jar>]");
    }
    Path jar = Path.of(args[0]);
    if (args.length == 3) {
      Files.copy(jar, Path.of(args[2]), StandardCopyOption.REPLACE_EXISTING);
    }
    Summary s = slim(jar, SdkOperations.read(Path.of(args[1])));
    System.out.printf(
        Locale.ROOT,
        "LambdaJarSlimmer: %s %,d -> %,d bytes; %,d classes, %,d stubbed, %,d removed;"
            + " operations kept %s, stubbed %s%n",
        jar.getFileName(),
        s.bytesBefore(),
        s.bytesAfter(),
        s.classesBefore(),
        s.stubbed(),
        s.removed(),
        s.operationsKept(),
        s.operationsStubbed());
  }

  /** Rewrites {@code jar} in place, keeping the operations in {@code keep} (service to names). */
  public static Summary slim(Path jar, Map<String, Set<String>> keep) throws IOException {
    long before = Files.size(jar);
    Map<String, byte[]> entries = read(jar);
    Map<String, ClassInfo> classes = new LinkedHashMap<>();
    entries.forEach(
        (name, bytes) -> {
          if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
            classes.put(name.substring(0, name.length() - 6), ClassInfo.parse(bytes));
          }
        });

    Map<String, Integer> kept = new TreeMap<>();
    Map<String, Integer> stubbedOps = new TreeMap<>();
    Set<String> stubs = new TreeSet<>();
    for (Map.Entry<String, Set<String>> service : keep.entrySet()) {
      String prefix = SERVICES + service.getKey() + "/";
      Set<String> operations = operations(classes, prefix);
      if (operations.isEmpty()) {
        throw new IllegalStateException("no operations of service " + service.getKey() + " in jar");
      }
      Set<String> unknown = new TreeSet<>(service.getValue());
      unknown.removeAll(operations);
      if (!unknown.isEmpty()) {
        throw new IllegalStateException(
            "the operations file names operations " + service.getKey() + " has not: " + unknown);
      }
      Set<String> drop = new HashSet<>(operations);
      drop.removeAll(service.getValue());
      kept.put(service.getKey(), service.getValue().size());
      stubbedOps.put(service.getKey(), drop.size());
      for (String name : classes.keySet()) {
        if (name.startsWith(prefix) && drop.contains(operationOf(simpleName(name)))) {
          stubs.add(name);
        }
      }
    }
    Map<String, byte[]> stubBytes = new LinkedHashMap<>();
    for (String name : stubs) {
      ClassInfo info = classes.get(name);
      byte[] stub = info.stub(name);
      stubBytes.put(name, stub);
      classes.put(name, ClassInfo.parse(stub));
    }

    Set<String> prunable = new HashSet<>();
    for (String name : classes.keySet()) {
      for (String service : keep.keySet()) {
        String rest =
            name.startsWith(SERVICES + service + "/")
                ? name.substring((SERVICES + service).length())
                : null;
        if (rest != null
            && (rest.contains("/model/")
                || rest.contains("/transform/")
                || rest.contains("/paginators/"))) {
          prunable.add(name);
        }
      }
    }
    Set<String> reached = new HashSet<>();
    Deque<String> queue = new ArrayDeque<>();
    for (String name : classes.keySet()) {
      if (!prunable.contains(name)) {
        reached.add(name);
        queue.add(name);
      }
    }
    while (!queue.isEmpty()) {
      for (String ref : classes.get(queue.poll()).references()) {
        if (classes.containsKey(ref) && reached.add(ref)) {
          queue.add(ref);
        }
      }
    }
    int removed = 0;
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      String name = e.getKey();
      String className =
          name.endsWith(".class") && !name.startsWith("META-INF/")
              ? name.substring(0, name.length() - 6)
              : null;
      if (className != null && prunable.contains(className) && !reached.contains(className)) {
        removed++;
        continue;
      }
      out.put(
          name,
          className != null && stubBytes.containsKey(className)
              ? stubBytes.get(className)
              : e.getValue());
    }
    write(jar, out);
    return new Summary(
        before,
        Files.size(jar),
        classes.size(),
        (int) stubs.stream().filter(reached::contains).count(),
        removed,
        kept,
        stubbedOps);
  }

  /**
   * The service's operations: the names of its model classes that extend one of its base request
   * classes (those extending {@code AwsRequest}; the DynamoDB artefact has two, DynamoDB's and
   * DynamoDB Streams'), less the {@code Request} suffix.
   */
  static Set<String> operations(Map<String, ClassInfo> classes, String servicePrefix) {
    Set<String> bases = new HashSet<>();
    classes.forEach(
        (name, info) -> {
          if (name.startsWith(servicePrefix) && AWS_REQUEST.equals(info.superName())) {
            bases.add(name);
          }
        });
    Set<String> operations = new TreeSet<>();
    classes.forEach(
        (name, info) -> {
          String simple = simpleName(name);
          if (name.startsWith(servicePrefix + "model/")
              && bases.contains(info.superName())
              && simple.endsWith("Request")
              && simple.indexOf('$') < 0) {
            operations.add(simple.substring(0, simple.length() - "Request".length()));
          }
        });
    return operations;
  }

  /**
   * The operation a per-operation class belongs to ({@code GetObjectRequest$BuilderImpl} -> {@code
   * GetObject}), or null for any other class.
   */
  static String operationOf(String simpleName) {
    String outer =
        simpleName.contains("$") ? simpleName.substring(0, simpleName.indexOf('$')) : simpleName;
    // the caller checks that the result is an operation ("PutRequest" is a DynamoDB shape)
    for (String suffix : PER_OPERATION_SUFFIXES) {
      if (outer.endsWith(suffix) && outer.length() > suffix.length()) {
        return outer.substring(0, outer.length() - suffix.length());
      }
    }
    return null;
  }

  private static String simpleName(String internalName) {
    return internalName.substring(internalName.lastIndexOf('/') + 1);
  }

  private static Map<String, byte[]> read(Path jar) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(jar);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    }
    return entries;
  }

  private static void write(Path jar, Map<String, byte[]> entries) throws IOException {
    Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.setLevel(9);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTime(0L); // reproducible: the same input gives the same bytes
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** What the slimmer reads of a class file: its header and its constant pool's references. */
  record ClassInfo(
      int major,
      int minor,
      int access,
      String name,
      String superName,
      List<String> interfaces,
      Set<String> references) {

    static ClassInfo parse(byte[] bytes) {
      try {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) {
          throw new IllegalStateException("not a class file");
        }
        int minor = in.readUnsignedShort();
        int major = in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classIndex = new int[count];
        for (int i = 1; i < count; i++) {
          int tag = in.readUnsignedByte();
          switch (tag) {
            case 1 -> utf8[i] = in.readUTF();
            case 7, 8, 16, 19, 20 ->
                classIndex[i] = tag == 7 ? in.readUnsignedShort() : skip(in, 2);
            case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
            case 15 -> in.skipNBytes(3);
            case 5, 6 -> {
              in.skipNBytes(8);
              i++;
            }
            default -> throw new IllegalStateException("constant pool tag " + tag);
          }
        }
        int access = in.readUnsignedShort();
        String name = utf8[classIndex[in.readUnsignedShort()]];
        int superIndex = in.readUnsignedShort();
        String superName = superIndex == 0 ? null : utf8[classIndex[superIndex]];
        int n = in.readUnsignedShort();
        List<String> interfaces = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          interfaces.add(utf8[classIndex[in.readUnsignedShort()]]);
        }
        Set<String> references = new HashSet<>();
        for (String s : utf8) {
          if (s == null) {
            continue;
          }
          // a class entry's name, a string constant naming a class (either spelling), and every
          // type in a descriptor or signature: a superset of what the class can reach
          references.add(s);
          references.add(s.replace('.', '/'));
          Matcher m = DESCRIPTOR_TYPE.matcher(s);
          while (m.find()) {
            references.add(m.group(1));
          }
        }
        return new ClassInfo(major, minor, access, name, superName, interfaces, references);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static int skip(DataInputStream in, int n) throws IOException {
      in.skipNBytes(n);
      return 0;
    }

    /** A class file of the same name, access, superclass and interfaces, with no members. */
    byte[] stub(String expectedName) {
      if (!name.equals(expectedName)) {
        throw new IllegalStateException("class file of " + name + " stored as " + expectedName);
      }
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        List<String> names = new ArrayList<>();
        names.add(name);
        names.add(superName == null ? "java/lang/Object" : superName);
        names.addAll(interfaces);
        out.writeInt(0xCAFEBABE);
        out.writeShort(minor);
        out.writeShort(major);
        out.writeShort(1 + 2 * names.size());
        for (String n : names) {
          out.writeByte(1);
          out.writeUTF(n);
        }
        for (int i = 0; i < names.size(); i++) {
          out.writeByte(7);
          out.writeShort(1 + i);
        }
        int firstClass = 1 + names.size();
        // ACC_SUPER stays; nothing in a stub needs the nest or inner-class attributes
        out.writeShort(access);
        out.writeShort(firstClass);
        out.writeShort(firstClass + 1);
        out.writeShort(interfaces.size());
        for (int i = 0; i < interfaces.size(); i++) {
          out.writeShort(firstClass + 2 + i);
        }
        out.writeShort(0); // fields
        out.writeShort(0); // methods
        out.writeShort(0); // attributes
        out.flush();
        return bytes.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
