package dev.smtpdouble.bench;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The {@link MinimalResponder}: the limit of a blocking Java server on loopback, on platform threads
 * ({@code minimal}) or on virtual threads ({@code minimal-virtual}, Java 21 and later).
 */
final class MinimalTarget implements Target {
  private final boolean virtualThreads;
  private MinimalResponder responder;

  MinimalTarget(boolean virtualThreads) {
    this.virtualThreads = virtualThreads;
  }

  @Override
  public String name() {
    return virtualThreads ? "minimal-virtual" : "minimal";
  }

  @Override
  public void start() {
    try {
      responder = MinimalResponder.start(virtualThreads);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int port() {
    return responder.port();
  }

  @Override
  public long count() {
    return responder.messages();
  }

  @Override
  public Tally tally(byte[] expected) {
    return new Tally(responder.messages(), responder.bytes(), 0, false);
  }

  @Override
  public void clear() {
    responder.clear();
  }

  @Override
  public void stop() {
    responder.close();
  }
}
