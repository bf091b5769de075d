package uk.familylink.build;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Loads and links every class of a jar in a class loader of its own (parent: the platform class
 * loader, so nothing of the build's class path is seen), without running static initialisers:
 * {@code Class.forName(name, false, loader)}, then the reflective member lists, which make HotSpot
 * link (verify) the class and load the types of its members' signatures. Prints one {@code LINKED
 * classes members} line and a {@code FAILED class error} line per class that does not link. Run in
 * a fresh JVM by {@code LambdaJarTest}.
 */
public final class LinkCheck {

  private LinkCheck() {}

  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args[0]);
    List<String> names = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      file.stream()
          .map(e -> e.getName())
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
          .filter(n -> !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
          .forEach(n -> names.add(n.substring(0, n.length() - 6).replace('/', '.')));
    }
    Collections.sort(names);
    int linked = 0;
    long members = 0;
    List<String> failed = new ArrayList<>();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (String name : names) {
        try {
          Class<?> c = Class.forName(name, false, loader);
          members +=
              c.getDeclaredMethods().length
                  + c.getDeclaredFields().length
                  + c.getDeclaredConstructors().length;
          linked++;
        } catch (LinkageError | ClassNotFoundException e) {
          failed.add("FAILED " + name + " " + e.getClass().getName());
        }
      }
    }
    failed.forEach(System.out::println);
    System.out.println("LINKED " + linked + " " + members);
  }
}
