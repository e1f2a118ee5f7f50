package dev.smtpdouble.junit5;

import static dev.smtpdouble.assertj.SmtpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.fixtures.Fixtures;
import dev.smtpdouble.Extension;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.testing.RawClient;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Every place {@code @SmtpServer} can go, each run through the Jupiter engine on a fixture: the
 * fixture's tests check what they were given, and these tests check that they all passed and what
 * became of the doubles afterwards.
 */
@Timeout(60)
class SmtpServerPlacementTest {

  /** Doubles the fixtures saw, in the order they saw them. */
  static final List<SmtpDouble> SEEN = new CopyOnWriteArrayList<>();

  @BeforeEach
  void forget() {
    SEEN.clear();
  }

  // ---- class ----

  @Tag("fixture")
  @SmtpServer(script = "reply 211 \"class rule\" to HELP", hostname = "class.test")
  static class ClassAnnotationTestCase {
    @Test
    void first(SmtpDouble smtp) {
      SEEN.add(smtp);
      RawClient.sendMessage(smtp, "a@example.test", "b@example.test", "first", "one");
      assertThat(smtp).hasReceived(1).first().hasSubject("first");
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.greeting()).isEqualTo("220 class.test ESMTP");
        assertThat(wire.command("HELP")).isEqualTo("211 class rule");
      }
    }

    @Test
    void second(SmtpDouble smtp) {
      SEEN.add(smtp);
      assertThat(smtp).hasNoMessages();
      assertThat(smtp.rules()).hasSize(1);
    }
  }

  @Test
  void aClassAnnotationGivesEveryTestAFreshDoubleStoppedAfterIt() {
    Fixtures.assertAllPassed(Fixtures.run(ClassAnnotationTestCase.class), 2);

    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    assertThat(SEEN.get(0).port()).isNotEqualTo(SEEN.get(1).port());
    assertThat(SEEN).noneMatch(SmtpDouble::isRunning);
  }

  // ---- method ----

  @Tag("fixture")
  @SmtpServer(script = "reply 211 \"class rule\" to HELP", hostname = "class.test")
  static class MethodAnnotationTestCase {
    @Test
    @SmtpServer(script = "reply 214 \"method rule\" to HELP", hostname = "method.test")
    void methodAddsItsScriptAndOverridesTheRest(SmtpDouble smtp) {
      assertThat(smtp.rules())
          .extracting(Object::toString)
          .containsExactly("reply 211 \"class rule\" to HELP", "reply 214 \"method rule\" to HELP");
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.greeting()).isEqualTo("220 method.test ESMTP");
        assertThat(wire.command("HELP")).isEqualTo("214 method rule");
      }
    }

    @Test
    @SmtpServer(withoutExtensions = Extension.PIPELINING, sizeLimit = 1000)
    void methodKeepsWhatItDoesNotSet(SmtpDouble smtp) {
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.greeting()).isEqualTo("220 class.test ESMTP");
        String ehlo = wire.command("EHLO client.test");
        assertThat(ehlo)
            .contains("250-SIZE 1000")
            .contains("8BITMIME")
            .doesNotContain("PIPELINING");
        assertThat(wire.command("HELP")).isEqualTo("211 class rule");
      }
    }

    @Test
    void unannotatedMethodGetsTheClassSettings(SmtpDouble smtp) {
      assertThat(smtp.rules()).hasSize(1);
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.command("EHLO client.test")).contains("PIPELINING");
      }
    }
  }

  @Test
  void aMethodAnnotationAddsToAndOverridesTheClassAnnotation() {
    Fixtures.assertAllPassed(Fixtures.run(MethodAnnotationTestCase.class), 3);
  }

  @Tag("fixture")
  static class MethodOnlyTestCase {
    @Test
    @SmtpServer(
        extensions = {Extension.SIZE, Extension.EIGHT_BIT_MIME},
        maxRecipients = 1)
    void onlyTheMethodIsAnnotated(SmtpDouble smtp) {
      SEEN.add(smtp);
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.command("EHLO client.test"))
            .isEqualTo("250-localhost\n250-SIZE 52428800\n250 8BITMIME");
        wire.command("MAIL FROM:<a@example.test>");
        assertThat(wire.command("RCPT TO:<b@example.test>")).startsWith("250");
        assertThat(wire.command("RCPT TO:<c@example.test>")).startsWith("452");
      }
    }
  }

  @Test
  void aMethodAnnotationAloneIsEnough() {
    Fixtures.assertAllPassed(Fixtures.run(MethodOnlyTestCase.class), 1);
    assertThat(SEEN).singleElement().matches(smtp -> !smtp.isRunning(), "stopped");
  }

  // ---- fields ----

  @Tag("fixture")
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class StaticFieldTestCase {
    @SmtpServer(script = "reply 211 to HELP")
    static SmtpDouble shared;

    @BeforeAll
    static void startedBeforeBeforeAll() {
      assertThat(shared).isNotNull().matches(SmtpDouble::isRunning, "running");
      SEEN.add(shared);
    }

    @Test
    @Order(1)
    void firstTestLeavesTraces() {
      SEEN.add(shared);
      shared.script("reply 502 to NOOP");
      RawClient.sendMessage(shared, "a@example.test", "b@example.test", "left behind", "one");
      assertThat(shared).hasReceived(1);
      assertThat(shared.rules()).hasSize(2);
    }

    @Test
    @Order(2)
    void secondTestSeesTheSameDoubleReset() {
      SEEN.add(shared);
      assertThat(shared).hasNoMessages();
      assertThat(shared.transcript().sessions()).isEmpty();
      assertThat(shared.rules()).extracting(Object::toString).containsExactly("reply 211 to HELP");
    }
  }

  @Test
  void aStaticFieldSharesOneDoublePerClassResetBetweenTests() {
    Fixtures.assertAllPassed(Fixtures.run(StaticFieldTestCase.class), 2);

    assertThat(SEEN).hasSize(3).containsOnly(SEEN.get(0));
    assertThat(SEEN.get(0).isRunning()).isFalse();
  }

  @Tag("fixture")
  static class InstanceFieldTestCase {
    @SmtpServer private SmtpDouble smtp;

    @SmtpServer(hostname = "backup.test")
    SmtpDouble backup;

    @BeforeEach
    void fieldsAreSetBeforeBeforeEach() {
      assertThat(smtp).isNotNull().isNotSameAs(backup);
      assertThat(smtp.isRunning()).isTrue();
    }

    @Test
    void first() {
      SEEN.add(smtp);
      SEEN.add(backup);
      RawClient.sendMessage(smtp, "a@example.test", "b@example.test", "to primary", "one");
      assertThat(smtp).hasReceived(1);
      assertThat(backup).hasNoMessages();
    }

    @Test
    void second() {
      SEEN.add(smtp);
      SEEN.add(backup);
      assertThat(smtp).hasNoMessages();
      try (RawClient wire = RawClient.greeted(backup)) {
        assertThat(wire.greeting()).isEqualTo("220 backup.test ESMTP");
      }
    }
  }

  @Test
  void instanceFieldsGetAFreshDoubleForEveryTest() {
    Fixtures.assertAllPassed(Fixtures.run(InstanceFieldTestCase.class), 2);

    assertThat(SEEN).hasSize(4).doesNotHaveDuplicates().noneMatch(SmtpDouble::isRunning);
  }

  // ---- parameters ----

  @Tag("fixture")
  @SmtpServer(hostname = "default.test")
  static class ParametersTestCase {
    SmtpDouble fromBeforeEach;

    @BeforeEach
    void setUp(SmtpDouble smtp) {
      fromBeforeEach = smtp;
    }

    @Test
    void severalDoublesInOneTest(
        SmtpDouble smtp,
        @SmtpServer(hostname = "primary.test") SmtpDouble primary,
        @SmtpServer(hostname = "backup.test", script = "reply 421 to MAIL") SmtpDouble backup) {
      SEEN.add(smtp);
      SEEN.add(primary);
      SEEN.add(backup);
      assertThat(smtp).isSameAs(fromBeforeEach);
      assertThat(List.of(smtp.port(), primary.port(), backup.port())).doesNotHaveDuplicates();
      try (RawClient wire = RawClient.greeted(primary)) {
        assertThat(wire.greeting()).isEqualTo("220 primary.test ESMTP");
      }
      try (RawClient wire = RawClient.greeted(backup)) {
        assertThat(wire.greeting()).isEqualTo("220 backup.test ESMTP");
        wire.command("EHLO client.test");
        assertThat(wire.command("MAIL FROM:<a@example.test>")).startsWith("421");
      }
      try (RawClient wire = RawClient.greeted(smtp)) {
        assertThat(wire.greeting()).isEqualTo("220 default.test ESMTP");
      }
      RawClient.sendMessage(primary, "a@example.test", "b@example.test", "primary only", "one");
      assertThat(primary).hasReceived(1);
      assertThat(smtp).hasNoMessages();
      assertThat(backup).hasNoMessages();
    }
  }

  @Test
  void annotatedParametersGetTheirOwnDoublesAndUnannotatedOnesTheTestsDouble() {
    Fixtures.assertAllPassed(Fixtures.run(ParametersTestCase.class), 1);

    assertThat(SEEN).hasSize(3).doesNotHaveDuplicates().noneMatch(SmtpDouble::isRunning);
  }

  /** A composed annotation, as users would write one. */
  @Target({ElementType.PARAMETER, ElementType.FIELD})
  @Retention(RetentionPolicy.RUNTIME)
  @SmtpServer(script = "reply 451 \"4.7.1 Greylisted\" to RCPT once")
  @interface GreylistingServer {}

  @Tag("fixture")
  static class ComposedAnnotationTestCase {
    @GreylistingServer SmtpDouble field;

    @Test
    void composedAnnotationsWork(@GreylistingServer SmtpDouble parameter) {
      SEEN.add(field);
      SEEN.add(parameter);
      for (SmtpDouble smtp : List.of(field, parameter)) {
        try (RawClient wire = RawClient.greeted(smtp)) {
          wire.command("EHLO client.test");
          wire.command("MAIL FROM:<a@example.test>");
          assertThat(wire.command("RCPT TO:<b@example.test>")).isEqualTo("451 4.7.1 Greylisted");
          assertThat(wire.command("RCPT TO:<b@example.test>")).startsWith("250");
        }
      }
    }
  }

  @Test
  void composedAnnotationsCarryTheSettings() {
    Fixtures.assertAllPassed(Fixtures.run(ComposedAnnotationTestCase.class), 1);

    assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
  }

  @Tag("fixture")
  @SmtpServer
  static class RepeatedTestCase {
    @RepeatedTest(3)
    void everyInvocationGetsItsOwnDouble(SmtpDouble smtp) {
      SEEN.add(smtp);
      assertThat(smtp).hasNoMessages();
      RawClient.sendMessage(smtp, "a@example.test", "b@example.test", "once", "one");
      assertThat(smtp).hasReceived(1);
    }
  }

  @Test
  void templateInvocationsGetAFreshDoubleEach() {
    Fixtures.assertAllPassed(Fixtures.run(RepeatedTestCase.class), 3);

    assertThat(SEEN).hasSize(3).doesNotHaveDuplicates();
  }

  // ---- @Nested ----

  @Tag("fixture")
  @SmtpServer(hostname = "outer.test")
  static class NestedTestCase {
    @SmtpServer(hostname = "outer-field.test")
    SmtpDouble outerField;

    @SmtpServer static SmtpDouble outerStatic;

    @Test
    void outer(SmtpDouble smtp) {
      SEEN.add(outerField);
      SEEN.add(smtp);
      RawClient.sendMessage(outerStatic, "a@example.test", "b@example.test", "outer", "one");
      assertThat(outerStatic).hasReceived(1);
    }

    @Nested
    @SmtpServer(script = "reply 211 \"inner rule\" to HELP")
    class Inner {
      @SmtpServer(hostname = "inner-field.test")
      SmtpDouble innerField;

      @Test
      void nestedTestsSeeEveryLevel(SmtpDouble smtp) {
        SEEN.add(outerField);
        SEEN.add(innerField);
        SEEN.add(smtp);
        assertThat(outerField).isNotNull().isNotSameAs(innerField);
        assertThat(outerStatic).hasNoMessages(); // reset before this test
        try (RawClient wire = RawClient.greeted(outerField)) {
          assertThat(wire.greeting()).isEqualTo("220 outer-field.test ESMTP");
        }
        try (RawClient wire = RawClient.greeted(innerField)) {
          assertThat(wire.greeting()).isEqualTo("220 inner-field.test ESMTP");
        }
        try (RawClient wire = RawClient.greeted(smtp)) {
          assertThat(wire.greeting()).isEqualTo("220 outer.test ESMTP");
          assertThat(wire.command("HELP")).isEqualTo("211 inner rule");
        }
      }
    }
  }

  @Test
  void nestedClassesGetTheFieldsOfEveryEnclosingInstanceAndLayeredClassSettings() {
    Fixtures.assertAllPassed(Fixtures.run(NestedTestCase.class), 2);

    assertThat(SEEN).hasSize(5).doesNotHaveDuplicates().noneMatch(SmtpDouble::isRunning);
  }
}
