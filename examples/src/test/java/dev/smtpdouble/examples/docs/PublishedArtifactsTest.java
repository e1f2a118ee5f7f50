package dev.smtpdouble.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * smtp-double-bom lists every artifact the build publishes (the modules that do not set {@code
 * maven.deploy.skip}), at the version being built.
 */
@Timeout(30)
class PublishedArtifactsTest {

  @Test
  void theBomListsEveryPublishedArtifact() throws Exception {
    Path root = Path.of(System.getProperty("examples.repoRoot", "..")).toRealPath();
    List<String> published = new ArrayList<>();
    collect(root, published);
    published.remove("smtp-double-parent");
    published.remove("smtp-double-bom");

    Document bom = read(root.resolve("bom/pom.xml"));
    List<String> managed = new ArrayList<>();
    NodeList dependencies = bom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      assertThat(text(dependency, "groupId")).isEqualTo("dev.smtpdouble");
      assertThat(text(dependency, "version")).isEqualTo("${project.version}");
      managed.add(text(dependency, "artifactId"));
    }
    assertThat(published).contains("smtp-double-core", "smtp-double-junit5");
    assertThat(managed).containsAll(published).doesNotHaveDuplicates();
    assertThat(text(child(bom.getDocumentElement(), "parent"), "version"))
        .isEqualTo(System.getProperty("examples.version"));
  }

  /** The artifactIds of a project and its modules that are deployed. */
  private static void collect(Path dir, List<String> published) throws Exception {
    Document pom = read(dir.resolve("pom.xml"));
    Element project = pom.getDocumentElement();
    Element properties = child(project, "properties");
    boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
    if (!skipped) {
      published.add(text(project, "artifactId"));
    }
    Element modules = child(project, "modules");
    if (modules == null) {
      return;
    }
    NodeList list = modules.getElementsByTagName("module");
    for (int i = 0; i < list.getLength(); i++) {
      Path module = dir.resolve(list.item(i).getTextContent().strip());
      if (Files.isRegularFile(module.resolve("pom.xml"))) {
        collect(module, published);
      }
    }
  }

  private static Document read(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }

  private static Element child(Element parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        return element;
      }
    }
    return null;
  }

  private static String text(Element parent, String name) {
    Element element = child(parent, name);
    return element == null ? null : element.getTextContent().strip();
  }
}
