package dev.smtpdouble.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpdouble.Action;
import dev.smtpdouble.Command;
import dev.smtpdouble.Rule;
import dev.smtpdouble.ScriptException;
import dev.smtpdouble.SmtpDouble;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code trickle BYTES-PER-SECOND}: the greeting or a reply leaves in small pieces with pauses
 * between them, whole and unchanged; a client's read timeout sees the pauses. Only the reply of
 * the command the rule answers is slowed.
 */
@Timeout(30)
class TrickleTest {

  /** What one connection read: the bytes and how many reads timed out before the line was whole. */
  private record Reading(String text, int timeouts, int pieces) {}

  /** Reads one reply line with a short read timeout, counting the gaps it meets. */
  private static Reading readLine(Socket socket, int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[256];
    int timeouts = 0;
    int pieces = 0;
    for (int tries = 0; tries < 2_000; tries++) {
      try {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        got.write(buffer, 0, n);
        pieces++;
        if (got.toString(StandardCharsets.US_ASCII).endsWith("\r\n")) {
          break;
        }
      } catch (SocketTimeoutException e) {
        timeouts++;
      }
    }
    return new Reading(got.toString(StandardCharsets.US_ASCII), timeouts, pieces);
  }

  @Test
  void theGreetingTricklesInPiecesWholeAndUnchanged() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().script("trickle 40 to CONNECT").start();
        Socket socket = new Socket(smtp.host(), smtp.port())) {
      Reading greeting = readLine(socket, 20);

      assertThat(greeting.text()).isEqualTo("220 localhost ESMTP\r\n");
      assertThat(greeting.pieces()).isGreaterThan(1);
      assertThat(greeting.timeouts()).isPositive();
      Sessions.showing(smtp, 1, "* trickling at 40 bytes a second by script");
    }
  }

  @Test
  void onlyTheReplyOfTheMatchedCommandIsSlowed() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().script("trickle 40 to NOOP once").start();
        Socket socket = new Socket(smtp.host(), smtp.port())) {
      assertThat(readLine(socket, 2000).pieces()).isEqualTo(1);
      socket.getOutputStream().write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
      Reading slow = readLine(socket, 20);
      socket.getOutputStream().write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
      Reading fast = readLine(socket, 2000);

      assertThat(slow.text()).isEqualTo("250 2.0.0 Ok\r\n");
      assertThat(slow.pieces()).isGreaterThan(1);
      assertThat(fast.text()).isEqualTo("250 2.0.0 Ok\r\n");
      assertThat(fast.pieces()).isEqualTo(1);
    }
  }

  @Test
  void aScriptedReplyTricklesToo() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      smtp.on(Command.HELP).trickle(40).reply(214, "Slowly");
      try (Socket socket = new Socket(smtp.host(), smtp.port())) {
        readLine(socket, 2000);
        socket.getOutputStream().write("HELP\r\n".getBytes(StandardCharsets.US_ASCII));
        Reading help = readLine(socket, 20);

        assertThat(help.text()).isEqualTo("214 Slowly\r\n");
        assertThat(help.pieces()).isGreaterThan(1);
      }
    }
  }

  @Test
  void aClientWithAShortReadTimeoutGivesUpOnATrickledGreeting() throws Exception {
    try (SmtpDouble smtp = SmtpDouble.builder().script("trickle 5 to CONNECT").start()) {
      jakarta.mail.Session session = Jakarta.session(smtp, 100);
      assertThatThrownBy(
              () -> Transport.send(Jakarta.message(session, "slow", "a@example.test")))
          .isInstanceOf(MessagingException.class)
          .hasStackTraceContaining("SocketTimeoutException");
      assertThat(smtp.messages()).isEmpty();
    }
  }

  @Test
  void theScriptAndTheBuilderMakeTheSameAction() {
    Rule parsed = Rule.parse("trickle 10 to CONNECT");

    assertThat(parsed.actions()).containsExactly(new Action.Trickle(10));
    assertThat(parsed.actions().get(0)).hasToString("trickle 10");
    assertThat(Action.Kind.TRICKLE.of(10)).isEqualTo(new Action.Trickle(10));
  }

  @Test
  void aRateMustBeAWholeNumberOfAtLeastOne() {
    assertThatThrownBy(() -> Rule.parse("trickle 0 to CONNECT"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("a whole number from 1 to 999999999");
    assertThatThrownBy(() -> Rule.parse("trickle fast to CONNECT"))
        .isInstanceOf(ScriptException.class)
        .hasMessageContaining("a whole number from 1 to 999999999");
    assertThatThrownBy(() -> new Action.Trickle(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
