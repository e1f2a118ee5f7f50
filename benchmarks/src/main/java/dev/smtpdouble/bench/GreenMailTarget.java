package dev.smtpdouble.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** GreenMail 2.1.5, SMTP only, on 127.0.0.1 and a free port. */
final class GreenMailTarget implements Target {
  private GreenMail greenMail;

  /**
   * The setup every GreenMail in the benchmarks uses: SMTP on 127.0.0.1, port 0.
   *
   * @return the setup
   */
  static ServerSetup setup() {
    return new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
  }

  @Override
  public String name() {
    return "greenmail";
  }

  @Override
  public void start() {
    greenMail = new GreenMail(setup());
    greenMail.start();
  }

  @Override
  public int port() {
    return greenMail.getSmtp().getPort();
  }

  @Override
  public long count() {
    return greenMail.getReceivedMessages().length;
  }

  /**
   * GreenMail keeps the data without the CRLF that ends its last line (its DATA reader cuts
   * CRLF.CRLF whole), so a message counts as received exactly when it equals what was sent less
   * that CRLF; its bytes are then counted with the CRLF, as sent.
   */
  @Override
  public Tally tally(byte[] expected) {
    MimeMessage[] messages = greenMail.getReceivedMessages();
    long bytes = 0;
    long mismatches = 0;
    byte[] kept = Arrays.copyOf(expected, expected.length - 2);
    for (MimeMessage message : messages) {
      byte[] data = raw(message);
      int offset = Target.traceHeaderLength(data);
      if (Target.sameData(data, offset, kept)) {
        bytes += expected.length;
      } else {
        bytes += data.length - offset;
        mismatches++;
      }
    }
    return new Tally(messages.length, bytes, mismatches, true);
  }

  static byte[] raw(MimeMessage message) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      message.writeTo(out);
      return out.toByteArray();
    } catch (IOException | MessagingException e) {
      throw new IllegalStateException("cannot read a message GreenMail holds", e);
    }
  }

  @Override
  public void clear() {
    try {
      greenMail.purgeEmailFromAllMailboxes();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    greenMail.stop();
  }
}
