package dev.smtpdouble.junit5;

/**
 * The transcripts of the doubles a failed test used, attached to its failure as a suppressed
 * exception. It carries no stack trace: the message is the evidence.
 */
final class SmtpDoubleTranscript extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SmtpDoubleTranscript(String message) {
    super(message, null, false, false);
  }
}
