package dev.smtpdouble.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

/** SubEthaSMTP 7.1.7's Wiser with its defaults, on 127.0.0.1 and a free port. */
final class WiserTarget implements Target {
  private Wiser wiser;

  /**
   * A started Wiser on 127.0.0.1 and a free port.
   *
   * @return the running Wiser
   */
  static Wiser startWiser() {
    Wiser wiser;
    try {
      wiser = Wiser.create(SMTPServer.port(0).bindAddress(InetAddress.getByName("127.0.0.1")));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    wiser.start();
    return wiser;
  }

  @Override
  public String name() {
    return "wiser";
  }

  @Override
  public void start() {
    wiser = startWiser();
  }

  @Override
  public int port() {
    return wiser.getServer().getPortAllocated();
  }

  @Override
  public long count() {
    return wiser.getMessages().size();
  }

  @Override
  public Tally tally(byte[] expected) {
    List<WiserMessage> messages = wiser.getMessages();
    long bytes = 0;
    long mismatches = 0;
    for (WiserMessage message : messages) {
      byte[] data = message.getData();
      int offset = Target.traceHeaderLength(data);
      bytes += data.length - offset;
      if (!Target.sameData(data, offset, expected)) {
        mismatches++;
      }
    }
    return new Tally(messages.size(), bytes, mismatches, true);
  }

  @Override
  public void clear() {
    wiser.getMessages().clear();
  }

  @Override
  public void stop() {
    wiser.stop();
  }
}
