package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Transcript.Ending;

/** Ends the session from deep inside a command or a fault, with how it ended. */
public final class SessionEnd extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How the session ended. */
  private final transient Ending ending;

  /**
   * The end of the session.
   *
   * @param ending how it ended
   */
  public SessionEnd(Ending ending) {
    super(ending.description(), null, false, false);
    this.ending = ending;
  }

  /**
   * How the session ended.
   *
   * @return the ending
   */
  public Ending ending() {
    return ending;
  }
}
