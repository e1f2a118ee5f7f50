package dev.smtpdouble.junit5;

import dev.smtpdouble.SmtpDouble;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The certificates the extension made for the doubles it started, for {@link
 * TestCertificate#of(SmtpDouble)}. As with the await timeouts, the value belongs to the double, so
 * parallel tests never see each other's; the holder removes the entry when it closes the double,
 * and the map holds its keys weakly as a second line of defence.
 */
final class ServedCertificates {
  private static final Map<SmtpDouble, TestCertificate> BY_DOUBLE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private ServedCertificates() {}

  static void register(SmtpDouble smtp, TestCertificate certificate) {
    BY_DOUBLE.put(smtp, certificate);
  }

  static void unregister(SmtpDouble smtp) {
    BY_DOUBLE.remove(smtp);
  }

  static TestCertificate of(SmtpDouble smtp) {
    return BY_DOUBLE.get(smtp);
  }
}
