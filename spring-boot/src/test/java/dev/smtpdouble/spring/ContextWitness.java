package dev.smtpdouble.spring;

import dev.smtpdouble.SmtpDouble;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationContext;

/** What the test classes that should share a cached context saw, for each other to check. */
final class ContextWitness {
  /** One test's view: its class, its context, its double and the double's port. */
  record Seen(Class<?> testClass, ApplicationContext context, SmtpDouble smtp, int port) {}

  private static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

  private ContextWitness() {}

  /**
   * Records what a test saw.
   *
   * @return what the tests of other classes saw before
   */
  static List<Seen> record(Class<?> testClass, ApplicationContext context, SmtpDouble smtp) {
    List<Seen> others =
        SEEN.stream().filter(seen -> seen.testClass() != testClass).toList();
    SEEN.add(new Seen(testClass, context, smtp, smtp.port()));
    return others;
  }
}
