package dev.smtpdouble.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ExplainTest {

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  private int run(String... args) {
    try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      return Explain.run(List.of(args), out, err);
    }
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  @Test
  void explainsTwoReplyCodesAndComparesThem() {
    assertThat(run("211", "354")).isZero();
    String out = out();
    String first = "211 System status — positive completion: ";
    String second = "354 Start mail input — positive intermediate: ";
    assertThat(out).startsWith(first).contains("\n\n" + second);
    assertThat(out.indexOf(first)).isLessThan(out.indexOf(second));
    assertThat(out).contains("  Reference:     RFC 5321 §4.2.2, §4.1.1.8\n");
    assertThat(out).contains("Side by side:");
    String table = out.substring(out.indexOf("Side by side:"));
    assertThat(table)
        .contains("211 System status", "354 Start mail input")
        .containsPattern("(?m)^class +\\| 2xx positive completion +\\| 3xx positive intermediate$")
        .containsPattern("(?m)^meaning +\\| ")
        .containsPattern("(?m)^when seen +\\| ")
        .containsPattern("(?m)^what to do +\\| ");
    assertThat(err()).isEmpty();
  }

  @Test
  void everyLineFitsInOneHundredColumnsExceptTheSummaries() {
    assertThat(run("550", "5.1.1", "4.7.1", "421", "5.6.9")).isZero();
    String out = out();
    for (String line : out.split("\n")) {
      // a summary line, and a web address on a line of its own, are not wrapped
      if (!line.matches("^[0-9](\\.[0-9]+\\.[0-9]+)?[0-9]* .*") && !line.matches(" *<https?://\\S+>")) {
        assertThat(line.length()).as(line).isLessThanOrEqualTo(100);
      }
    }
    String table = out.substring(out.indexOf("Side by side:"));
    // five codes go into two tables of three and two columns
    assertThat(table.split("\n", -1))
        .filteredOn(line -> line.startsWith("-----------+"))
        .hasSize(2);
  }

  @Test
  void explainsAnEnhancedStatusCode() {
    assertThat(run("5.7.1")).isZero();
    assertThat(out())
        .startsWith(
            "5.7.1 Delivery not authorized, message refused — permanent failure: the sender may"
                + " not send this message to this recipient\n")
        .contains("  Class:         5 permanent failure — ")
        .contains("  What to do:    Permanent: do not send the same request again unchanged; it will")
        .endsWith("  Reference:     RFC 3463 §3.8\n")
        .doesNotContain("Side by side", "Transient");
    assertThat(err()).isEmpty();
  }

  @Test
  void aTransientCodeGetsTransientAdviceNotThePermanentOne() {
    assertThat(run("4.7.1")).isZero();
    String out = out();
    assertThat(out)
        .startsWith("4.7.1 Delivery not authorized, message refused — persistent transient failure")
        .contains("  What to do:    Transient: keep the message and try again later, at growing")
        .contains("greylisting")
        .doesNotContain("Permanent:", "Do not resend", "5.7.1 unchanged", "refused again");
    // the same holds for every class-4 code: no advice written for the permanent class
    for (String code : List.of("4.1.1", "4.2.1", "4.3.2", "4.4.0", "4.7.8", "4.2.2", "4.7.24")) {
      outBytes.reset();
      assertThat(run(code)).isZero();
      assertThat(out())
          .as(code)
          .contains("What to do:    Transient: ")
          .doesNotContainPattern("[Dd]o not (retry|resend)|Permanent:|\\b5\\.[0-9]+\\.[0-9]+ (unchanged|do)");
    }
  }

  @Test
  void aPermanentCodeGetsPermanentAdviceNotATransientOne() {
    for (String code : List.of("5.2.1", "5.3.2", "5.4.0", "5.4.1", "5.2.2", "5.7.15")) {
      outBytes.reset();
      assertThat(run(code)).isZero();
      assertThat(out())
          .as(code)
          .contains("What to do:    Permanent: do not send the same request again unchanged")
          .doesNotContainPattern("[Rr]etry|retries|later|Transient:");
    }
  }

  @Test
  void mixesReplyCodesAndEnhancedCodes() {
    assertThat(run("211", "5.7.1")).isZero();
    assertThat(out())
        .startsWith("211 System status — ")
        .contains("\n\n5.7.1 Delivery not authorized, message refused — permanent failure")
        .containsPattern(
            "(?m)^class +\\| 2xx positive completion +\\| 5\\.x\\.x permanent failure$");
  }

  @Test
  void aRepeatedCodeIsExplainedOnce() {
    assertThat(run("250", "250")).isZero();
    assertThat(out().split("\n"))
        .filteredOn(line -> line.startsWith("250 "))
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("250 Requested action okay — positive completion"));
    assertThat(out()).doesNotContain("Side by side");
  }

  @Test
  void anUnknownReplyCodeIsAnError() {
    assertThat(run("211", "299")).isEqualTo(2);
    assertThat(out()).isEmpty();
    assertThat(err())
        .startsWith("explain: 299 is not a known SMTP reply code (known: 211, 214, ")
        .contains("354")
        .endsWith("556)\n");
  }

  @Test
  void anUnknownEnhancedCodeIsAnError() {
    assertThat(run("5.9.9")).isEqualTo(2);
    assertThat(out()).isEmpty();
    assertThat(err()).startsWith("explain: 5.9.9 is not a known enhanced status code");
  }

  @Test
  void aMalformedCodeIsAnErrorThatSaysWhatIsExpected() {
    assertThat(run("hello")).isEqualTo(2);
    assertThat(out()).isEmpty();
    assertThat(err())
        .contains("'hello'")
        .contains("three-digit reply code like 354")
        .contains("enhanced status code like 5.7.1");
  }

  @Test
  void everyBadArgumentIsNamed() {
    assertThat(run("299", "354", "x1", "3.1.1")).isEqualTo(2);
    assertThat(out()).isEmpty();
    assertThat(err().split("\n"))
        .hasSize(3)
        .anySatisfy(line -> assertThat(line).contains("299"))
        .anySatisfy(line -> assertThat(line).contains("'x1'"))
        .anySatisfy(line -> assertThat(line).contains("3.1.1"));
  }

  @Test
  void noArgumentIsAnError() {
    assertThat(run()).isEqualTo(2);
    assertThat(out()).isEmpty();
    assertThat(err()).startsWith("explain: no code given").contains("354").contains("5.7.1");
  }
}
