package dev.smtpdouble.bench;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.util.Date;
import java.util.Properties;

/**
 * Jakarta Mail (Angus Mail) sending small messages over one connection: one {@link Transport},
 * {@code sendMessage} 1,000 times, timed. After a warm-up of fixed duration, several such batches
 * run (each on its own Transport) and the median batch is reported: one batch alone lasts about a
 * tenth of a second, too short to time alone.
 */
final class JakartaThroughput {
  private final int messages;
  private final int batches;
  private final double warmupSeconds;

  JakartaThroughput(boolean quick) {
    this.messages = 1000;
    this.batches = quick ? 3 : 7;
    this.warmupSeconds = quick ? 0.5 : 1.5;
  }

  void run(Target target) throws Exception {
    target.start();
    try {
      Properties props = new Properties();
      props.setProperty("mail.smtp.host", target.host());
      props.setProperty("mail.smtp.port", Integer.toString(target.port()));
      props.setProperty("mail.smtp.connectiontimeout", "30000");
      props.setProperty("mail.smtp.timeout", "30000");
      props.setProperty("mail.smtp.localhost", "bench.client");
      Session session = Session.getInstance(props);
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress("sender@bench.test"));
      message.setRecipient(Message.RecipientType.TO, new InternetAddress("recipient@bench.test"));
      message.setSubject("Jakarta Mail benchmark");
      message.setSentDate(new Date(1_700_000_000_000L));
      message.setText("Hello from the Jakarta Mail scenario.\r\nA small message, sent many times.\r\n");
      message.saveChanges();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      message.writeTo(out);
      byte[] data = out.toByteArray();
      InternetAddress[] to = {new InternetAddress("recipient@bench.test")};

      int warmup = warmUp(session, message, to);
      Harness.validate(target, warmup, data);
      target.clear();

      long cpuStart = Harness.processCpuNanos();
      double[] rates = new double[batches];
      for (int b = 0; b < batches; b++) {
        rates[b] = messages / (send(session, message, to, messages) / 1e9);
      }
      long cpuNanos = Harness.processCpuNanos() - cpuStart;
      Harness.validate(target, (long) messages * batches, data);
      double[] sorted = rates.clone();
      java.util.Arrays.sort(sorted);
      double median = sorted[batches / 2];
      Harness.note(
          "jakarta %s: %d batches of %d messages of %d octets, one Transport each: %s msg/s",
          target.name(), batches, messages, data.length, java.util.Arrays.toString(rates));
      Harness.result("jakarta", target.name(), "msg/s", median, "msg/s");
      // interference from other load only ever slows a batch down: the best batch is the stabler figure
      Harness.result("jakarta", target.name(), "best", sorted[batches - 1], "msg/s");
      Harness.result("jakarta", target.name(), "cpu", cpuNanos / 1e3 / ((long) messages * batches), "us/msg");
    } finally {
      target.stop();
    }
  }

  /** Sends for {@link #warmupSeconds} over one Transport; returns how many it sent. */
  private int warmUp(Session session, MimeMessage message, InternetAddress[] to) throws Exception {
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect();
      long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
      int sent = 0;
      do {
        transport.sendMessage(message, to);
        sent++;
      } while (System.nanoTime() < end);
      return sent;
    }
  }

  private static long send(Session session, MimeMessage message, InternetAddress[] to, int count)
      throws Exception {
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect();
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        transport.sendMessage(message, to);
      }
      return System.nanoTime() - start;
    }
  }
}
