package dev.smtpdouble.internal.mime;

import java.util.Objects;

/**
 * One header field of a captured message, as {@link MessageText#headers(byte[])} reads it. Use
 * {@link #value()} to check what a reader would see, {@link #rawValue()} to check what was sent.
 *
 * @param name the field name as written, case kept (for example {@code Subject})
 * @param rawValue the value unfolded (RFC 5322 §2.2.3: the line breaks of folding removed, the
 *     whitespace after them kept), with the whitespace after the colon and at the end trimmed
 * @param value {@code rawValue} with RFC 2047 encoded-words decoded
 */
public record HeaderField(String name, String rawValue, String value) {

  /**
   * Checks that no component is null.
   *
   * @param name the field name as written
   * @param rawValue the unfolded value as sent
   * @param value the unfolded value with encoded-words decoded
   */
  public HeaderField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rawValue, "rawValue");
    Objects.requireNonNull(value, "value");
  }
}
