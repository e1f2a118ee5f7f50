package dev.smtpdouble.examples.catalogue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/** The version of the library a class comes from, read from its jar's manifest. */
final class Versions {
  private Versions() {}

  /**
   * The {@code Implementation-Version} (or else {@code Bundle-Version}) of the jar that holds
   * {@code type}.
   *
   * @param type a class of the library
   * @return its version
   * @throws IllegalStateException when the jar says no version
   */
  static String of(Class<?> type) {
    try {
      Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      try (JarFile file = new JarFile(jar.toFile())) {
        Attributes main = file.getManifest().getMainAttributes();
        String version = main.getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        if (version == null) {
          version = main.getValue("Bundle-Version");
        }
        if (version == null) {
          throw new IllegalStateException(jar + " says no version in its manifest");
        }
        return version;
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot read the version of " + type.getName(), e);
    }
  }
}
