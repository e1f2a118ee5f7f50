package dev.smtpdouble.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.SmtpDouble;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README.md, CONTRIBUTING.md and docs/ say what the code does: every Java block is a region of a
 * test that compiles and runs in this build, every command output shown is what the command prints
 * now, and every version named is the one being built (see {@link DocsCheck}).
 */
@Timeout(120)
class DocsAreTrueTest {

  /** The check over this repository, as the build sets it up. */
  static DocsCheck check() throws Exception {
    Path root = Path.of(System.getProperty("examples.repoRoot", "..")).toRealPath();
    String version = System.getProperty("examples.version");
    assertThat(version).as("the examples.version system property (set by the pom)").isNotBlank();
    Path core = Path.of(SmtpDouble.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return new DocsCheck(root, version, core);
  }

  @Test
  void everySnippetAndOutputInTheDocsIsTheCodesOwn() throws Exception {
    DocsCheck check = check();
    List<Path> files = check.markdownFiles();
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("README.md");
    List<String> problems = new ArrayList<>();
    for (Path file : files) {
      problems.addAll(check.problems(file));
    }
    assertThat(problems)
        .as("the docs no longer say what the code does (CONTRIBUTING.md, 'Docs that cannot go stale')")
        .isEmpty();
  }
}
