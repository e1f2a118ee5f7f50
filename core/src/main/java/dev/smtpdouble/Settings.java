package dev.smtpdouble;

import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings a double runs with; immutable. Build them with {@link SmtpDouble#builder()}.
 *
 * @param bindAddress the address to listen on; 127.0.0.1 by default
 * @param port the port; 0 (the default) for a free one
 * @param hostname the name in the greeting and the EHLO reply; {@code localhost} by default
 * @param sizeLimit the largest message in octets, advertised with SIZE; 0 for no limit; 50 MiB
 *     by default
 * @param idleTimeout how long a command line may take to arrive before the double answers 421
 *     and closes; 0 for none; 60 s by default
 * @param dataTimeout how long the data of one message (or one BDAT chunk) may take; 0 for none;
 *     5 minutes by default
 * @param maxSessions how many sessions may be open at once; the next gets 421 4.3.2; 1000 by
 *     default
 * @param maxRecipients how many recipients one message may have; the next gets 452 4.5.3; 1000
 *     by default
 * @param extensions the ESMTP extensions offered in the EHLO reply; all by default
 * @param rules the rules the double starts with (kept by {@link SmtpDouble#reset()})
 * @param tls how TLS is offered, or null for no TLS (the default)
 * @param users the AUTH credentials, user name to password (or token for XOAUTH2); AUTH is
 *     offered when there is at least one
 * @param authMechanisms the SASL mechanisms offered; all four by default
 * @param requireAuth whether MAIL needs a successful AUTH first (530 5.7.0)
 * @param plaintextAuthNeedsTls whether PLAIN, LOGIN and XOAUTH2 need TLS first (538 5.7.11)
 * @param showSecrets whether the transcript shows AUTH secrets instead of {@code ****}
 * @param strict whether client violations are refused with the reply a strict server gives
 *     instead of only noted
 * @param checkHeaders whether each message must carry the Date, From and Message-ID headers of a
 *     message in transfer (RFC 5322 §3.6); off by default, since a submission server may add
 *     them (RFC 6409 §8)
 * @param keepLast how many of the newest messages, violations and ended sessions' transcripts
 *     the double keeps; {@link Integer#MAX_VALUE} (the default) keeps everything, 0 nothing
 *
 * @since 0.1
 */
public record Settings(
    InetAddress bindAddress,
    int port,
    String hostname,
    long sizeLimit,
    Duration idleTimeout,
    Duration dataTimeout,
    int maxSessions,
    int maxRecipients,
    Set<Extension> extensions,
    List<Rule> rules,
    Tls tls,
    Map<String, String> users,
    Set<AuthMechanism> authMechanisms,
    boolean requireAuth,
    boolean plaintextAuthNeedsTls,
    boolean showSecrets,
    boolean strict,
    boolean checkHeaders,
    int keepLast) {

  /**
   * Checks and copies the settings.
   *
   * @param bindAddress the address to listen on
   * @param port the port
   * @param hostname the host name
   * @param sizeLimit the size limit
   * @param idleTimeout the idle timeout
   * @param dataTimeout the data timeout
   * @param maxSessions the session limit
   * @param maxRecipients the recipient limit
   * @param extensions the extensions
   * @param rules the starting rules
   * @param tls the TLS settings or null
   * @param users the AUTH credentials
   * @param authMechanisms the SASL mechanisms
   * @param requireAuth whether AUTH is required
   * @param plaintextAuthNeedsTls whether plaintext mechanisms need TLS
   * @param showSecrets whether secrets show in the transcript
   * @param strict whether violations are refused
   * @param checkHeaders whether missing transfer headers are violations
   * @param keepLast how many messages, violations and ended sessions are kept
   * @throws IllegalArgumentException when a value is out of range
   */
  public Settings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(dataTimeout, "dataTimeout");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535, but was " + port);
    }
    if (!isHostname(hostname)) {
      throw new IllegalArgumentException(
          "hostname must be one word without spaces, but was \"" + hostname + "\"");
    }
    if (sizeLimit < 0) {
      throw new IllegalArgumentException("sizeLimit cannot be negative: " + sizeLimit);
    }
    if (idleTimeout.isNegative() || dataTimeout.isNegative()) {
      throw new IllegalArgumentException("timeouts cannot be negative");
    }
    if (keepLast < 0) {
      throw new IllegalArgumentException("keepLast cannot be negative: " + keepLast);
    }
    if (maxSessions < 1 || maxRecipients < 1) {
      throw new IllegalArgumentException("maxSessions and maxRecipients must be at least 1");
    }
    extensions =
        extensions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(extensions));
    rules = List.copyOf(rules);
    users = Map.copyOf(users);
    authMechanisms = authMechanisms.isEmpty() ? Set.of() : Set.copyOf(authMechanisms);
    if (requireAuth && users.isEmpty()) {
      throw new IllegalArgumentException("requireAuth needs at least one user: call user(name, secret)");
    }
    if (!users.isEmpty() && authMechanisms.isEmpty()) {
      throw new IllegalArgumentException("AUTH needs at least one mechanism");
    }
  }

  /**
   * Whether AUTH is offered: there is at least one user.
   *
   * @return true when AUTH is on
   */
  public boolean authEnabled() {
    return !users.isEmpty();
  }

  /** One word of visible ASCII without angle brackets ({@code [\p{Graph}&&[^<>]]+}, no regex). */
  private static boolean isHostname(String hostname) {
    if (hostname.isEmpty()) {
      return false;
    }
    for (int i = 0; i < hostname.length(); i++) {
      char c = hostname.charAt(i);
      if (c < 0x21 || c > 0x7E || c == '<' || c == '>') {
        return false;
      }
    }
    return true;
  }
}
