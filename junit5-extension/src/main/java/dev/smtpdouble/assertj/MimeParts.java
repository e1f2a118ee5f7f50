package dev.smtpdouble.assertj;

import dev.smtpdouble.ReceivedMessage;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.ServiceConfigurationError;

/**
 * The leaf parts of a message, read with Jakarta Mail. Only loaded after {@link
 * MimeSupport#available()} said Jakarta Mail is there (it is an optional dependency).
 */
final class MimeParts {
  private MimeParts() {}

  /** A leaf part: its type, file name, disposition, and text when it is a text part. */
  static final class Part {
    private final String type;
    private final String fileName;
    private final String disposition;
    private final String text;

    Part(String type, String fileName, String disposition, String text) {
      this.type = type;
      this.fileName = fileName;
      this.disposition = disposition;
      this.text = text;
    }

    String fileName() {
      return fileName;
    }

    String text() {
      return text;
    }

    /** {@code application/pdf "invoice.pdf" (attachment)}, {@code text/plain (12 characters)}. */
    @Override
    public String toString() {
      StringBuilder out = new StringBuilder(type);
      if (fileName != null) {
        out.append(" \"").append(fileName).append('"');
      }
      if (disposition != null) {
        out.append(" (").append(disposition.toLowerCase(Locale.ROOT)).append(')');
      }
      if (text != null) {
        out.append(" (").append(text.length()).append(" characters)");
      }
      return out.toString();
    }
  }

  /** The message is not MIME that Jakarta Mail can read. */
  static final class NotMime extends Exception {
    private static final long serialVersionUID = 1L;

    NotMime(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static List<Part> of(ReceivedMessage message) throws NotMime {
    Session session;
    try {
      session = Session.getInstance(new Properties());
    } catch (RuntimeException | ServiceConfigurationError e) {
      throw new IllegalStateException(
          "Jakarta Mail is on the class path without an implementation: add"
              + " org.eclipse.angus:angus-mail (test scope)",
          e);
    }
    try {
      MimeMessage mime = new MimeMessage(session, message.dataStream());
      List<Part> parts = new ArrayList<>();
      collect(mime, parts);
      return parts;
    } catch (MessagingException | IOException | RuntimeException e) {
      throw new NotMime(String.valueOf(e.getMessage()), e);
    }
  }

  private static void collect(jakarta.mail.Part part, List<Part> out)
      throws MessagingException, IOException {
    if (part.isMimeType("multipart/*")) {
      Multipart multipart = (Multipart) part.getContent();
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart child = multipart.getBodyPart(i);
        collect(child, out);
      }
      return;
    }
    String text = null;
    if (part.isMimeType("text/*")) {
      Object content = part.getContent();
      text = content instanceof String ? (String) content : null;
    }
    out.add(new Part(baseType(part), fileName(part), part.getDisposition(), text));
  }

  private static String baseType(jakarta.mail.Part part) throws MessagingException {
    try {
      return new ContentType(part.getContentType()).getBaseType();
    } catch (ParseException e) {
      return part.getContentType();
    }
  }

  private static String fileName(jakarta.mail.Part part) throws MessagingException {
    String name = part.getFileName();
    if (name == null) {
      return null;
    }
    try {
      return MimeUtility.decodeText(name);
    } catch (UnsupportedEncodingException e) {
      return name;
    }
  }
}
