package dev.smtpdouble.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code explain} shows, under the RFC meaning, what the providers mean by a code and where they say it. */
@Timeout(20)
class PersonaExplainTest {

  private static String explain(String... codes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
      assertThat(Explain.run(List.of(codes), print, err)).isZero();
    }
    return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
  }

  @Test
  void aReplyCodeListsTheProviderRepliesWithIt() {
    String text = explain("454");
    assertThat(text)
        .startsWith("454 Temporary TLS or authentication failure")
        .contains("What the providers mean by it")
        .contains("  ses-smtp: 454 Throttling failure: Maximum sending rate exceeded\n")
        .contains("source: Amazon SES Developer Guide: Errors related to the sending quotas")
        .contains("<https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html>");
    assertThat(text.indexOf("Reference:")).isLessThan(text.indexOf("What the providers mean"));
  }

  @Test
  void anEnhancedCodeListsTheProviderRepliesCarryingIt() {
    assertThat(explain("4.3.2"))
        .contains("m365-submission: 432 4.3.2 Concurrent connections limit exceeded.")
        .contains("<https://learn.microsoft.com/en-us/exchange/troubleshoot/send-emails/smtp-submission-improvements>");
    assertThat(explain("5.7.139"))
        .contains("m365-submission: 535 5.7.139 Authentication unsuccessful");
  }

  @Test
  void aCodeNoPersonaSendsHasNoProviderSection() {
    assertThat(explain("211")).doesNotContain("What the providers mean");
  }
}
