package dev.smtpdouble.internal.protocol;

import java.io.ByteArrayOutputStream;

/**
 * What one list of actions has sent so far, as the client reads it: the first reply; or, when raw
 * bytes came first, what all the bytes sent since spell together ({@code send "22", delay 50ms,
 * send "0 ok\r\n"} is a 220).
 */
final class SentSoFar {
  private boolean sentAny;
  private ByteArrayOutputStream raw;

  /** A new list of actions begins. */
  void start() {
    sentAny = false;
    raw = null;
  }

  /** Whether raw bytes came first: every later send changes what was answered. */
  boolean fromRaw() {
    return raw != null;
  }

  /** A reply was sent: what the list has sent now. */
  Sent reply(EncodedReply reply) {
    return after(reply.wire(), new Sent(reply.reply(), reply.positive()));
  }

  /** Raw bytes were sent: what the list has sent now, or null when a reply came first. */
  Sent raw(byte[] bytes) {
    if (!sentAny) {
      raw = new ByteArrayOutputStream();
    }
    return after(bytes, null);
  }

  private Sent after(byte[] bytes, Sent reply) {
    sentAny = true;
    if (raw == null) {
      return reply;
    }
    raw.writeBytes(bytes);
    byte[] all = raw.toByteArray();
    return new Sent(RawReplies.parse(all), RawReplies.positive(all));
  }
}
