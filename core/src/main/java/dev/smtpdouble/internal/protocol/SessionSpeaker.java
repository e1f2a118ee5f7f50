package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Action;
import dev.smtpdouble.internal.capture.SessionLog;
import java.io.IOException;

/** The session's side of carrying out an action, which the wire calls back. */
final class SessionSpeaker implements Wire.Speaker {
  private final Session session;
  private final Wire wire;
  private final SessionLog log;
  private final CommandLines lines;
  private final SentSoFar sentSoFar;

  SessionSpeaker(
      Session session, Wire wire, SessionLog log, CommandLines lines, SentSoFar sentSoFar) {
    this.session = session;
    this.wire = wire;
    this.log = log;
    this.lines = lines;
    this.sentSoFar = sentSoFar;
  }

  @Override
  public Sent reply(Action.Respond respond) throws IOException {
    EncodedReply reply = session.replies.scripted(respond.code(), respond.texts());
    session.send(reply);
    return sentSoFar.reply(reply);
  }

  @Override
  public Sent sendRaw(byte[] bytes) throws IOException {
    // a waiting message is published with the first bytes
    session.sendRaw(bytes, RawReplies.parse(bytes));
    return sentSoFar.raw(bytes);
  }

  @Override
  public void event(String text) {
    log.event(text);
  }

  @Override
  public void publishPending() {
    session.publishPending(null);
  }

  @Override
  public boolean hearOut() throws IOException {
    return lines.hearOut(wire.input());
  }
}
