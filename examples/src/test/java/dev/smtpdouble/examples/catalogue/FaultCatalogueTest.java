package dev.smtpdouble.examples.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpdouble.ClientTls;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Tls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault catalogue: every JVM client against every fault, one at a time (the times are part of
 * the observation). Each run asserts what must hold for any client and that the client still does
 * what its row in {@code CLIENT-BEHAVIOUR.md} says; the last test compares the whole file. With
 * {@code -Dexamples.updateTable=true} the rows are not compared and the file is rewritten instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class FaultCatalogueTest {
  private static final List<MailClient> CLIENTS =
      List.of(
          new JakartaMailClient(),
          new SpringMailClient(),
          new SpringBootMailClient(),
          new SimpleJavaMailClient(),
          new CommonsEmailClient(),
          new VertxMailClient());

  private final Map<String, Observation> observations = new ConcurrentHashMap<>();
  private final boolean updating = Boolean.getBoolean(BehaviourTable.UPDATE_PROPERTY);
  private List<Fault> faults;
  private Path file;
  private Map<String, String> checkedIn;

  @BeforeAll
  void readTheCheckedInTable() throws Exception {
    faults = Faults.all(trust());
    warmUp(CLIENTS);
    file = Path.of(System.getProperty("examples.behaviourTable", "CLIENT-BEHAVIOUR.md"));
    checkedIn =
        Files.exists(file)
            ? BehaviourTable.rows(Files.readString(file, StandardCharsets.UTF_8))
            : Map.of();
  }

  /** The double's default CA, the same for every double: what clients requiring STARTTLS trust. */
  static ClientTls trust() {
    try (SmtpDouble tls = SmtpDouble.builder().tls(Tls.starttls()).start()) {
      return tls.clientTls();
    }
  }

  /**
   * Each client sends one message before anything is timed, so that the times in the table are
   * the client's, not the JVM's loading of its classes (over a second for some clients).
   */
  static void warmUp(List<MailClient> clients) throws Exception {
    for (MailClient client : clients) {
      try (SmtpDouble smtp = SmtpDouble.start()) {
        MailClient.Configured configured =
            client.configure(smtp.host(), smtp.port(), ClientSettings.timeout(Faults.RELAXED));
        try {
          configured.send(Mail.standard());
        } finally {
          configured.close();
        }
        assertThat(smtp.messages()).as("%s warms up", client.name()).hasSize(1);
      }
    }
  }

  Stream<Arguments> scenarios() {
    return faults.stream()
        .flatMap(
            fault ->
                CLIENTS.stream()
                    .map(client -> Arguments.of(Named.of(fault.id(), fault), Named.of(client.name(), client))));
  }

  @Order(1)
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("scenarios")
  void clientReactsAsItsRowSays(Fault fault, MailClient client) throws Exception {
    Run run = Harness.run(fault, client);
    Observation observation = Observation.of(client.name(), fault, run);
    observations.put(BehaviourTable.key(fault, client), observation);

    assertThat(run.elapsed())
        .as("%s took %s against %s (upper bound)", client.name(), run.elapsed(), fault.id())
        .isLessThan(fault.upperBound());
    try {
      fault.expectations().accept(run);
    } catch (AssertionError e) {
      throw new AssertionError(
          "%s against %s: %s%ntranscript:%n%s".formatted(client.name(), fault.id(), e.getMessage(), run.transcript()), e);
    }
    if (!updating) {
      Optional<String> row = BehaviourTable.row(checkedIn, fault, client);
      assertThat(row)
          .as("a row for %s in %s (-D%s=true writes it)", BehaviourTable.key(fault, client), file, BehaviourTable.UPDATE_PROPERTY)
          .isPresent();
      boolean racy = Faults.CLOSE_RACES.contains(fault.id());
      assertThat(racy ? BehaviourTable.withoutRaces(observation.row(), false) : observation.row())
          .as("what %s did against %s, compared with %s (-D%s=true rewrites it); transcript:%n%s",
              client.name(), fault.id(), file, BehaviourTable.UPDATE_PROPERTY, run.transcript())
          .isEqualTo(racy ? BehaviourTable.withoutRaces(row.get(), false) : row.get());
    }
  }

  @Order(2)
  @Test
  void clientBehaviourFileIsUpToDate() throws IOException {
    int expected = faults.size() * CLIENTS.size();
    assumeTrue(
        observations.size() == expected,
        "the table needs every client against every fault; only "
            + observations.size()
            + " of "
            + expected
            + " ran");
    String rendered = BehaviourTable.render(faults, CLIENTS, observations);
    if (updating) {
      Files.writeString(file, rendered, StandardCharsets.UTF_8);
      return;
    }
    assertThat(Files.exists(file)).as("%s exists (-D%s=true writes it)", file, BehaviourTable.UPDATE_PROPERTY).isTrue();
    assertThat(BehaviourTable.withoutRaces(Files.readString(file, StandardCharsets.UTF_8), true))
        .as("%s matches what the clients did (-D%s=true rewrites it)", file, BehaviourTable.UPDATE_PROPERTY)
        .isEqualTo(BehaviourTable.withoutRaces(rendered, true));
  }
}
