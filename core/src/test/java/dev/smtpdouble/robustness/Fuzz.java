package dev.smtpdouble.robustness;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.RawClient;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** What the fuzz tests share: byte soups, dot-stuffing, the control client, health checks. */
final class Fuzz {
  /** The note a session writes when a bug in the double broke it. */
  static final String INTERNAL_ERROR = "* internal error in smtp-double";

  private static final AtomicInteger CONTROLS = new AtomicInteger();

  private Fuzz() {}

  /**
   * The body as a client sends it after 354: every line that starts with a period gets one more,
   * then the terminating {@code .CRLF}. A line starts at the beginning and after each CRLF (a bare
   * CR or LF does not end a line). The body must be empty or end with CRLF.
   */
  static byte[] stuffed(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + body.length / 64 + 16);
    int copied = 0;
    boolean lineStart = true;
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (lineStart && b == '.') {
        out.write(body, copied, i - copied);
        out.write('.');
        copied = i;
      }
      lineStart = b == '\n' && i > 0 && body[i - 1] == '\r';
    }
    out.write(body, copied, body.length - copied);
    out.writeBytes(".\r\n".getBytes(UTF_8));
    return out.toByteArray();
  }

  /** Bytes of text. */
  static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  /** Joins byte arrays. */
  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /**
   * A soup of bytes that looks enough like SMTP to reach every state: command lines, periods and
   * line ends, DATA and BDAT with sizes, long runs, and random bytes.
   */
  static Arbitrary<byte[]> soup(int maxPieces) {
    Arbitrary<byte[]> tokens =
        Arbitraries.of(
                "\r\n", "\n", "\r", ".", "..", "\r\n.\r\n", ".\r\n", "\n.\n", "\r\n.\n", " ", ":",
                "<", ">", "@", "EHLO client.test\r\n", "HELO x\r\n", "ehlo\r\n",
                "MAIL FROM:<a@example.test>\r\n", "MAIL FROM:<> BODY=8BITMIME SIZE=20\r\n",
                "MAIL FROM:<a@example.test> BODY=BINARYMIME\r\n", "mail from:<",
                "RCPT TO:<b@example.test>\r\n", "RCPT TO:<x@reject.test>\r\n",
                "RCPT TO:<b@example.test> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;b@example.test\r\n",
                "DATA\r\n", "data\r\n", "DATA x\r\n", "BDAT 0\r\n", "BDAT 1\r\nX", "BDAT 5 LAST\r\n",
                "BDAT 12\r\n", "BDAT 3 last\r\nabc", "BDAT 999999999999999999\r\n", "BDAT -1\r\n",
                "BDAT 4 LAST now\r\n", "RSET\r\n", "NOOP\r\n", "NOOP x\r\n", "VRFY a\r\n",
                "EXPN list\r\n", "HELP\r\n", "HELP DATA\r\n", "QUIT\r\n", "QUIT now\r\n",
                "STARTTLS\r\n", "AUTH PLAIN\r\n", "AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n",
                "AUTH LOGIN\r\n", "AUTH CRAM-MD5\r\n", "AUTH XOAUTH2\r\n", "*\r\n", "=\r\n",
                "YWxpY2U=\r\n", "TURN\r\n", "Subject: x\r\n", "\u00e9\u20ac", "\u0000", "\u00ff")
            .map(Fuzz::bytes);
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    Arbitrary<byte[]> runs =
        Arbitraries.of(1, 511, 512, 513, 999, 1001, 1002, 16_383, 16_385, 70_000)
            .flatMap(n -> Arbitraries.of((byte) 'x', (byte) '.', (byte) '\r', (byte) ' ')
                .map(b -> {
                  byte[] run = new byte[n];
                  java.util.Arrays.fill(run, b);
                  return run;
                }));
    return Arbitraries.frequencyOf(
            List.of(Tuple.of(12, tokens), Tuple.of(3, random), Tuple.of(1, runs)))
        .list()
        .ofMaxSize(maxPieces)
        .map(Fuzz::concat);
  }

  /** Fails when a session broke on a bug in the double or a thread died of an exception. */
  static void assertHealthy(SmtpDouble smtp, ThreadDeaths deaths, int deathsBefore) {
    assertNoInternalError(smtp);
    assertThat(deaths.deaths().subList(deathsBefore, deaths.count()))
        .as("threads that died of an exception")
        .isEmpty();
  }

  /**
   * Fails when a session's transcript holds {@code * internal error in smtp-double}, the note a
   * session writes when a bug broke it (looked up session by session, never rendering the whole
   * transcript, which may hold gigabytes of message data).
   */
  static void assertNoInternalError(SmtpDouble smtp) {
    int sessions = smtp.transcript().sessions().size();
    for (int n = 1; n <= sessions; n++) {
      // a fresh snapshot for each: a session keeps the lines it has decoded
      Transcript.Session session = smtp.transcript().session(n).orElseThrow();
      for (Transcript.Line line : session.lines()) {
        if (line.direction() == Transcript.Direction.EVENT
            && line.toString().startsWith(INTERNAL_ERROR)) {
          throw new AssertionError(
              "session " + session.number() + " broke on a bug in the double:\n" + session);
        }
      }
    }
  }

  /** Waits (at most {@code millis}) until the session has ended; returns it as it ended. */
  static Transcript.Session awaitEnded(SmtpDouble smtp, int number, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (true) {
      Optional<Transcript.Session> session =
          smtp.transcript().session(number).filter(s -> s.ending() != Transcript.Ending.OPEN);
      if (session.isPresent()) {
        return session.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "session " + number + " did not end within " + millis + " ms:\n" + smtp.transcript());
      }
      Robustness.sleep(2);
    }
  }

  /**
   * A well-behaved client on a connection of its own: it must be greeted and served, and the
   * message it sends (retried after a scripted refusal of MAIL or RCPT) must be recorded exactly,
   * with the reply it was given.
   */
  static void control(SmtpDouble smtp) {
    int n = CONTROLS.incrementAndGet();
    String subject = "control " + n;
    byte[] body = bytes("Subject: " + subject + "\r\n\r\n.a line with a period\r\nend\r\n");
    try (RawClient client = RawClient.connect(smtp.host(), smtp.port(), 10_000)) {
      assertThat(reply(client).code()).as("greeting").isEqualTo(220);
      client.write(bytes("EHLO control.test\r\n"));
      assertThat(reply(client).code()).as("EHLO").isEqualTo(250);
      RawClient.Reply end = null;
      for (int attempt = 0; attempt < 4 && end == null; attempt++) {
        client.write(bytes("MAIL FROM:<control@example.test>\r\n"));
        if (reply(client).code() != 250) {
          continue;
        }
        client.write(bytes("RCPT TO:<control@example.test>\r\n"));
        if (reply(client).code() != 250) {
          client.write(bytes("RSET\r\n"));
          reply(client);
          continue;
        }
        client.write(bytes("DATA\r\n"));
        int code = reply(client).code();
        if (code != 354) {
          client.write(bytes("RSET\r\n"));
          reply(client);
          continue;
        }
        client.write(stuffed(body));
        end = reply(client);
      }
      assertThat(end).as("a message accepted for sending within 4 attempts").isNotNull();
      client.write(bytes("QUIT\r\n"));
      assertThat(reply(client).code()).isEqualTo(221);
      int code = end.code();
      ReceivedMessage message = awaitMessage(smtp, subject);
      assertThat(message.data()).isEqualTo(body);
      assertThat(message.reply().orElseThrow().code()).isEqualTo(code);
      assertThat(message.recipients()).containsExactly("control@example.test");
    }
  }

  private static RawClient.Reply reply(RawClient client) {
    RawClient.Reply reply = client.nextReply();
    assertThat(reply).as("a reply to the control client").isNotNull();
    return reply;
  }

  private static ReceivedMessage awaitMessage(SmtpDouble smtp, String subject) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      for (ReceivedMessage message : smtp.messages()) {
        if (message.subject().equals(subject)) {
          return message;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the control message \"" + subject + "\" was not recorded");
      }
      Robustness.sleep(1);
    }
  }
}
