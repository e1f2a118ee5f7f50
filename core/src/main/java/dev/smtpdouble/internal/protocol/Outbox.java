package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Reply;
import dev.smtpdouble.internal.capture.MessageData;
import java.util.List;

/**
 * The messages of one session on their way to the test: each is held from the end of its data
 * until its end-of-data reply (or the fault that replaced it) is out, then published. Envelope
 * addresses repeated from the previous message are shared, not copied.
 */
final class Outbox {
  private final SessionContext context;
  private final int session;
  private int transactions;
  private String lastFrom = "";
  private List<String> lastRecipients = List.of();
  private Held held;

  /** A message waiting for its end-of-data reply to be sent. */
  private record Held(
      Transaction transaction,
      MessageData data,
      boolean chunked,
      boolean truncated,
      int number,
      long receivedAt) {}

  Outbox(SessionContext context, int session) {
    this.context = context;
    this.session = session;
  }

  /** The envelope sender, the same string as the last message's when it is the same address. */
  String sender(String address) {
    if (address.equals(lastFrom)) {
      return lastFrom;
    }
    lastFrom = address;
    return address;
  }

  /** Holds a complete message until its reply is out. */
  void hold(Transaction transaction, MessageData data, boolean chunked, boolean truncated) {
    transactions++;
    held =
        new Held(
            transaction, data, chunked, truncated, transactions, System.currentTimeMillis());
  }

  /**
   * Publishes the held message, if any, with the reply it got and what the session knew of the
   * client.
   *
   * @param reply the end-of-data reply, or null when a fault answered instead
   */
  void publish(
      Reply reply,
      String heloName,
      String user,
      AuthMechanism mechanism,
      String tlsProtocol,
      String tlsCipherSuite) {
    Held message = held;
    if (message == null) {
      return;
    }
    held = null;
    Transaction t = message.transaction;
    List<String> recipients = List.copyOf(t.recipients);
    if (recipients.equals(lastRecipients)) {
      recipients = lastRecipients;
    }
    lastRecipients = recipients;
    context.messageReceived(
        new CapturedMessage(
            t.from,
            recipients,
            List.copyOf(t.recipientParameters),
            t.mailParameters,
            message.data,
            reply,
            session,
            message.number,
            heloName,
            message.chunked,
            message.truncated,
            message.receivedAt,
            user,
            mechanism == null ? "" : mechanism.keyword(),
            tlsProtocol,
            tlsCipherSuite));
  }
}
