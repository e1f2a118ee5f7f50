package dev.smtpdouble.assertj;

/**
 * Whether Jakarta Mail is on the class path. Kept apart from {@link MimeParts}, which refers to
 * Jakarta Mail types and must not be loaded without them.
 */
final class MimeSupport {
  private MimeSupport() {}

  static boolean available() {
    try {
      Class.forName("jakarta.mail.internet.MimeMessage", false, MimeSupport.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
