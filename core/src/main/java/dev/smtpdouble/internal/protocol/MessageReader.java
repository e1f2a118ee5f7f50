package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Settings;
import dev.smtpdouble.Transcript.Ending;
import dev.smtpdouble.Violation;
import dev.smtpdouble.internal.capture.DataRecord;
import dev.smtpdouble.internal.capture.MessageData;
import dev.smtpdouble.internal.capture.SessionLog;
import java.io.IOException;
import java.time.Duration;

/**
 * Reads the message data after a 354 and the chunks of BDAT commands, logs them, and keeps as
 * much as the capture limit allows. A message or chunk the client cut off ends the session.
 */
final class MessageReader {
  private final SessionLog log;
  private final ClientViolations violations;
  private final Settings settings;
  private final GrowableBytes body = new GrowableBytes();
  private final SmtpInput.DataResult result = new SmtpInput.DataResult();

  MessageReader(SessionLog log, ClientViolations violations, Settings settings) {
    this.log = log;
    this.violations = violations;
    this.settings = settings;
  }

  /**
   * Reads message data up to the final dot; {@link #result()} describes it.
   *
   * @throws SessionEnd when the client closed before the final dot
   */
  MessageData readData(SmtpInput input) throws IOException {
    body.reset();
    try {
      input.readData(body, captureLimit(), deadline(settings.dataTimeout()), result);
    } catch (IOException | RuntimeException e) {
      partialData();
      throw e;
    }
    if (!result.complete) {
      partialData();
      violations.note(
          Violation.Kind.CLOSED_WITHOUT_QUIT,
          log.lineCount(),
          "",
          "the connection was closed in the middle of the message data");
      throw new SessionEnd(Ending.CLIENT_CLOSED);
    }
    MessageData data = body.detach();
    log.data(DataRecord.complete(data, result.unstuffedDots(), result.lines));
    if (result.octets > captureLimit()) {
      log.event(
          "message too large to keep: "
              + result.octets
              + " octets received, the first "
              + captureLimit()
              + " kept");
    }
    return data;
  }

  /** What the last {@link #readData} found in the data. */
  SmtpInput.DataResult result() {
    return result;
  }

  /**
   * Reads one BDAT chunk, keeping at most {@code room} octets of it.
   *
   * @throws SessionEnd when the client closed before the chunk was whole
   */
  MessageData readChunk(SmtpInput input, long size, long room) throws IOException {
    body.reset();
    boolean whole = input.readChunk(size, body, room, deadline(settings.dataTimeout()));
    MessageData chunk = body.detach();
    log.data(DataRecord.chunk(chunk));
    if (!whole) {
      log.event("BDAT chunk incomplete: the connection ended; no message recorded");
      violations.note(
          Violation.Kind.CLOSED_WITHOUT_QUIT,
          log.lineCount(),
          "",
          "the connection was closed in the middle of a BDAT chunk");
      throw new SessionEnd(Ending.CLIENT_CLOSED);
    }
    return chunk;
  }

  private void partialData() {
    if (result.octets > 0 || body.size() > 0) {
      log.data(DataRecord.data(body.detach(), result.unstuffedDots(), false));
    }
    log.event(
        "message data incomplete: "
            + result.octets
            + " octets before the connection ended; no message recorded");
  }

  /** The size limit the double enforces with 552; unlimited when 0. */
  long sizeLimit() {
    return settings.sizeLimit() > 0 ? settings.sizeLimit() : Long.MAX_VALUE;
  }

  /**
   * How much of a message the double keeps: all of it up to the size limit plus the larger of the
   * limit and 16 MiB, so that an oversized message (answered 552) is usually still recorded
   * whole; beyond that the rest is counted and dropped.
   */
  long captureLimit() {
    long limit = settings.sizeLimit();
    return limit <= 0 ? Long.MAX_VALUE : limit + Math.max(limit, 16L * 1024 * 1024);
  }

  static long deadline(Duration timeout) {
    return timeout.isZero() ? 0 : System.nanoTime() + timeout.toNanos();
  }
}
