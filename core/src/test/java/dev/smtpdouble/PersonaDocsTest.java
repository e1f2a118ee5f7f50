package dev.smtpdouble;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/personas/NAME.md says what the persona file says: every reply text, limit, situation,
 * omission and source, so a changed persona file fails the build until its page follows.
 */
@Timeout(30)
class PersonaDocsTest {
  private static final Path DOCS = Path.of("..", "docs");

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  @Test
  void everyPersonaHasAPageListingItsRepliesLimitsSituationsOmissionsAndSources()
      throws IOException {
    String index = read(DOCS.resolve("personas.md"));
    for (Persona persona : Persona.all()) {
      Path page = DOCS.resolve("personas").resolve(persona.name() + ".md");
      assertThat(index).contains("(personas/" + persona.name() + ".md)");
      String text = read(page);
      assertThat(text).as(page.toString()).contains("version " + persona.version() + ", sources read " + persona.dated());
      for (Persona.Quote quote : persona.replies()) {
        for (String line : quote.reply().lines()) {
          assertThat(text).as(page + " shows reply " + quote.id()).contains(line);
        }
        assertThat(text).as(page.toString()).contains(quote.meaning());
      }
      for (Persona.Limit limit : persona.limits()) {
        assertThat(text).as(page + " lists limit " + limit.name()).contains("| `" + limit.name() + "` | " + limit.count() + " ");
      }
      for (Persona.Situation situation : persona.situations()) {
        assertThat(text).as(page.toString()).contains("| `" + situation.name() + "` | " + situation.description());
      }
      persona.missing().forEach(missing -> assertThat(text).as(page.toString()).contains("- " + missing));
      persona.sources().forEach(source -> assertThat(text).as(page.toString()).contains("](" + source.url() + ")"));
    }
  }
}
