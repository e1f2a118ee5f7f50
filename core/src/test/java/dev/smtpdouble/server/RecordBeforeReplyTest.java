package dev.smtpdouble.server;

import static dev.smtpdouble.testing.SmtpTesting.greeted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Transcript;
import dev.smtpdouble.testing.RawClient;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * "Record first, then reply" (SPEC §3): once a client has read the reply that answers a message,
 * {@code messages()}, the transcript and every listener callback already hold it. A kept-open
 * connection asks right after each reply, so a double that published after flushing the reply
 * shows up as a miss.
 */
@Timeout(300)
class RecordBeforeReplyTest {
  private static final int MESSAGES = 10_000;

  /** Counts what the listener heard, on the session's thread. */
  private static final class Counting implements SmtpDouble.Listener {
    final AtomicInteger messages = new AtomicInteger();
    final AtomicReference<String> lastServerLine = new AtomicReference<>("");

    @Override
    public void messageReceived(ReceivedMessage message) {
      messages.incrementAndGet();
    }

    @Override
    public void transcriptLine(int sessionNumber, Transcript.Line line) {
      if (line.direction() == Transcript.Direction.SERVER) {
        lastServerLine.set(line.text());
      }
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void tenThousandMessagesOnOneConnectionAreEachVisibleWhenTheirReplyArrives() {
    Counting heard = new Counting();
    try (SmtpDouble smtp = SmtpDouble.builder().listener(heard).start();
        RawClient client = greeted(smtp)) {
      List<Integer> missed = new ArrayList<>();
      List<Integer> unheard = new ArrayList<>();
      for (int i = 1; i <= MESSAGES; i++) {
        String body = "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n";
        if (i % 2 == 0) {
          // DATA: the commands pipelined, then the body after the 354
          client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
          client.expectStart("250").expectStart("250").expectStart("354");
          client.sendRaw(body + ".\r\n");
        } else {
          // BDAT LAST: the whole transaction in one write
          client.sendRaw(
              "MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nBDAT "
                  + ascii(body).length
                  + " LAST\r\n"
                  + body);
          client.expectStart("250").expectStart("250");
        }
        client.expectStart("250 2.0.0");
        if (smtp.messages().size() != i) {
          missed.add(i);
        }
        if (heard.messages.get() != i || !heard.lastServerLine.get().startsWith("250 2.0.0")) {
          unheard.add(i);
        }
      }
      System.out.println(
          "RecordBeforeReplyTest on Java "
              + Runtime.version().feature()
              + ": "
              + MESSAGES
              + " messages, "
              + missed.size()
              + " missed by messages(), "
              + unheard.size()
              + " not yet told to the listener");
      assertThat(missed).as("messages missing from messages() right after their 250").isEmpty();
      assertThat(unheard).as("messages the listener had not heard right after their 250").isEmpty();
      assertThat(smtp.messages().get(MESSAGES - 1).subject()).isEqualTo("m" + MESSAGES);
    }
  }

  @Test
  void aScriptedReplyAndItsTranscriptLineAreRecordedBeforeTheClientReadsIt() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      smtp.script("reply 354 then 554 \"5.7.1 Rejected as spam\" after DATA");
      List<Integer> missed = new ArrayList<>();
      for (int i = 1; i <= 500; i++) {
        client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        client.expectStart("250").expectStart("250").expectStart("354");
        client.sendRaw("Subject: s" + i + "\r\n\r\nx\r\n.\r\n");
        client.expect("554 5.7.1 Rejected as spam");
        List<ReceivedMessage> messages = smtp.messages();
        List<Transcript.Line> lines = smtp.transcript().sessions().get(0).lines();
        Transcript.Line last = lines.get(lines.size() - 1);
        boolean complete =
            messages.size() == i
                && messages.get(i - 1).reply().map(r -> r.code() == 554).orElse(false)
                && last.direction() == Transcript.Direction.SERVER
                && last.text().equals("554 5.7.1 Rejected as spam");
        if (!complete) {
          missed.add(i);
        }
      }
      assertThat(missed).as("rejected messages not yet recorded with their reply").isEmpty();
    }
  }

  @Test
  void aDelayBeforeTheReplyDoesNotPublishTheMessageWithoutIt() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      smtp.script("delay 300ms, reply 451 \"4.3.0 Later\" after DATA");
      client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
      client.expectStart("250").expectStart("250").expectStart("354");
      client.sendRaw("Subject: d\r\n\r\nx\r\n.\r\n");
      client.expect("451 4.3.0 Later");
      assertThat(smtp.messages()).hasSize(1);
      assertThat(smtp.messages().get(0).reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(451));
    }
  }

  @Test
  void aRawSendRecordsTheMessageBeforeTheBytesLeave() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      smtp.script("send \"250 fine\\r\\n\" after DATA");
      List<Integer> missed = new ArrayList<>();
      for (int i = 1; i <= 200; i++) {
        client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        client.expectStart("250").expectStart("250").expectStart("354");
        client.sendRaw("Subject: r" + i + "\r\n\r\nx\r\n.\r\n");
        client.expect("250 fine");
        if (smtp.messages().size() != i) {
          missed.add(i);
        }
      }
      assertThat(missed).isEmpty();
      assertThat(smtp.messages().get(0).reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(250));
    }
  }

  @Test
  void aDisconnectInsteadOfTheReplyRecordsTheMessageWithNoReply() {
    try (SmtpDouble smtp = SmtpDouble.start();
        RawClient client = greeted(smtp)) {
      smtp.script("disconnect after DATA");
      client.sendRaw("MAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
      client.expectStart("250").expectStart("250").expectStart("354");
      client.sendRaw("Subject: gone\r\n\r\nx\r\n.\r\n");
      assertThat(client.awaitEnd(5000)).isEqualTo("EOF");
      assertThat(smtp.messages()).hasSize(1);
      assertThat(smtp.messages().get(0).reply()).isEmpty();
    }
  }

  @Test
  void aKeptOpenJakartaMailTransportFindsEveryMessageRecorded() throws MessagingException {
    try (SmtpDouble smtp = SmtpDouble.start()) {
      Properties properties = new Properties();
      properties.put("mail.smtp.host", smtp.host());
      properties.put("mail.smtp.port", String.valueOf(smtp.port()));
      properties.put("mail.smtp.connectiontimeout", "5000");
      properties.put("mail.smtp.timeout", "5000");
      Session session = Session.getInstance(properties);
      int count = 2_000;
      List<Integer> missed = new ArrayList<>();
      Transport transport = session.getTransport("smtp");
      transport.connect();
      try {
        for (int i = 1; i <= count; i++) {
          MimeMessage message = new MimeMessage(session);
          message.setFrom(new InternetAddress("shop@example.test"));
          message.addRecipient(Message.RecipientType.TO, new InternetAddress("alice@example.test"));
          message.setSubject("t" + i);
          message.setText("hello " + i + "\r\n", "UTF-8");
          message.saveChanges();
          transport.sendMessage(message, message.getAllRecipients());
          if (smtp.messages().size() != i) {
            missed.add(i);
          }
        }
      } finally {
        transport.close();
      }
      System.out.println(
          "RecordBeforeReplyTest (Jakarta Mail) on Java "
              + Runtime.version().feature()
              + ": "
              + count
              + " messages, "
              + missed.size()
              + " missed");
      assertThat(missed).as("messages missing from messages() when sendMessage returned").isEmpty();
    }
  }
}
