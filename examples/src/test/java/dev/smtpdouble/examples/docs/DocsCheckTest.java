package dev.smtpdouble.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The docs check finds each way a page can go stale. */
@Timeout(60)
class DocsCheckTest {
  @TempDir Path root;
  private DocsCheck check;

  @BeforeEach
  void aRepository() throws Exception {
    Path core = Path.of(SmtpDouble.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    check = new DocsCheck(root, "1.2.3", core);
    write(
        "m/src/test/java/p/Snippets.java",
        "class Snippets {\n"
            + "  void test() {\n"
            + "    // tag::hello[]\n"
            + "    greet(\"hello\");\n"
            + "    // tag::inner[]\n"
            + "    if (true) {\n"
            + "      greet(\"again\");\n"
            + "    }\n"
            + "    // end::inner[]\n"
            + "    // end::hello[]\n"
            + "  }\n"
            + "}\n");
  }

  private Path write(String path, String text) throws Exception {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private List<String> problems(String markdown) throws Exception {
    return check.problems(write("docs/page.md", markdown));
  }

  @Test
  void aBlockEqualToItsRegionPasses() throws Exception {
    assertThat(
            problems(
                "Text\n<!-- snippet: m/src/test/java/p/Snippets.java#hello -->\n```java\n"
                    + "greet(\"hello\");\nif (true) {\n  greet(\"again\");\n}\n```\n"))
        .isEmpty();
    assertThat(
            problems(
                "<!-- snippet: m/src/test/java/p/Snippets.java#inner -->\n```java\n"
                    + "if (true) {\n  greet(\"again\");\n}\n```\n"))
        .isEmpty();
  }

  @Test
  void aBlockThatDiffersFromItsRegionFails() throws Exception {
    assertThat(
            problems(
                "<!-- snippet: m/src/test/java/p/Snippets.java#inner -->\n```java\n"
                    + "if (true) {\n  greet(\"AGAIN\");\n}\n```\n"))
        .singleElement()
        .asString()
        .startsWith(
            "docs/page.md:2: the block differs from the region m/src/test/java/p/Snippets.java#inner"
                + " at its line 2\n    docs:     greet(\"AGAIN\");\n    source:   greet(\"again\");");
  }

  @Test
  void aBlockIndentedInAListIsComparedWithoutItsIndentationAndShowsMarkersAsText()
      throws Exception {
    assertThat(
            problems(
                "- a list item:\n\n  <!-- snippet: m/src/test/java/p/Snippets.java#inner -->\n"
                    + "  ```java\n  if (true) {\n    greet(\"again\");\n  }\n  ```\n"
                    + "- a marker quoted in a block is text:\n\n  ```\n"
                    + "  <!-- snippet: nowhere/Gone.java#x -->\n  ```\n"))
        .isEmpty();
  }

  @Test
  void aJavaBlockWithoutAMarkerFails() throws Exception {
    assertThat(problems("Text\n\n```java\nint x = 1;\n```\n"))
        .containsExactly(
            "docs/page.md:3: a ```java block without a <!-- snippet: PATH#REGION --> marker on the"
                + " line before it");
  }

  @Test
  void aMarkerThatPointsNowhereFails() throws Exception {
    assertThat(problems("<!-- snippet: m/src/test/java/p/Gone.java#hello -->\n```java\nx\n```\n"))
        .containsExactly(
            "docs/page.md:2: the snippet points at m/src/test/java/p/Gone.java, which does not exist");
    assertThat(problems("<!-- snippet: m/src/test/java/p/Snippets.java#bye -->\n```java\nx\n```\n"))
        .containsExactly(
            "docs/page.md:2: m/src/test/java/p/Snippets.java must hold region 'bye' once, between"
                + " '// tag::bye[]' and '// end::bye[]'");
    assertThat(problems("<!-- snippet: m/src/main/java/p/Main.java#x -->\n```java\nx\n```\n"))
        .containsExactly(
            "docs/page.md:2: m/src/main/java/p/Main.java is not a test source"
                + " (MODULE/src/test/java/...java)");
    assertThat(problems("<!-- snippet: m/src/test/java/p/Snippets.java#hello -->\n\n```java\n"))
        .contains("docs/page.md:1: a marker must stand on the line right before a fenced block");
  }

  @Test
  void aCommandOutputIsComparedWithWhatTheCommandPrintsNow() throws Exception {
    String help = DocsCheck.words("--help").toString();
    assertThat(help).isEqualTo("[--help]");
    List<String> stale =
        problems(
            "<!-- output-of: explain 5.7.1 -->\n```\n"
                + "$ java -jar core/target/smtp-double-core-1.2.3.jar explain 5.7.1\n"
                + "5.7.1 Something else entirely\n```\n");
    assertThat(stale)
        .singleElement()
        .asString()
        .startsWith(
            "docs/page.md:2: the block differs from the output of 'java -jar"
                + " core/target/smtp-double-core-1.2.3.jar explain 5.7.1' at its line 2\n"
                + "    docs:   5.7.1 Something else entirely\n    source: 5.7.1 ");
    // the message shows the whole block as it should read: pasting it in makes the page true
    String shouldRead = stale.get(0).substring(stale.get(0).indexOf("should read:\n") + 13);
    String fixed =
        "<!-- output-of: explain 5.7.1 -->\n```\n"
            + shouldRead.lines().map(l -> l.substring(4)).reduce((a, b) -> a + "\n" + b).orElseThrow()
            + "\n```\n";
    assertThat(problems(fixed)).isEmpty();
  }

  @Test
  void aVersionOtherThanTheBuildsFails() throws Exception {
    assertThat(
            problems(
                "Run core/target/smtp-double-core-1.2.3.jar, not core/target/smtp-double-core-0.9.jar.\n"
                    + "```xml\n<artifactId>smtp-double-junit5</artifactId>\n  <version>1.0</version>\n```\n"))
        .containsExactly(
            "docs/page.md:1: names version 0.9, but the build is 1.2.3",
            "docs/page.md:4: names version 1.0, but the build is 1.2.3");
  }

  @Test
  void quotedWordsStayTogether() {
    assertThat(DocsCheck.words("--rule 'reply 451 to RCPT' --port 0"))
        .containsExactly("--rule", "reply 451 to RCPT", "--port", "0");
  }
}
