package dev.smtpdouble.examples.catalogue;

import dev.smtpdouble.ClientTls;
import java.time.Duration;
import java.util.Objects;

/**
 * How a fault asks the client to be configured; each {@link MailClient} translates this into its
 * own settings.
 *
 * @param timeout the connect and read (idle) timeout
 * @param requireStartTls whether the client must upgrade with STARTTLS and refuse to send in clear
 * @param trust the CA to trust when it upgrades (only with {@code requireStartTls})
 * @param user the login name, or null for no AUTH
 * @param password the password (with {@code user})
 */
record ClientSettings(
    Duration timeout, boolean requireStartTls, ClientTls trust, String user, String password) {

  ClientSettings {
    Objects.requireNonNull(timeout, "timeout");
    if (requireStartTls) {
      Objects.requireNonNull(trust, "trust");
    }
  }

  /** The client's defaults, with the given timeout. */
  static ClientSettings timeout(Duration timeout) {
    return new ClientSettings(timeout, false, null, null, null);
  }

  /** STARTTLS required, trusting {@code trust}. */
  ClientSettings requiringStartTls(ClientTls trust) {
    return new ClientSettings(timeout, true, trust, user, password);
  }

  /** Logging in as {@code user}. */
  ClientSettings loggingInAs(String user, String password) {
    return new ClientSettings(timeout, requireStartTls, trust, user, password);
  }

  int timeoutMillis() {
    return Math.toIntExact(timeout.toMillis());
  }

  /** How the table describes these settings. */
  String describe() {
    StringBuilder text = new StringBuilder("client timeout " + Buckets.seconds(timeout));
    if (requireStartTls) {
      text.append(", STARTTLS required (trusting the double's CA)");
    }
    if (user != null) {
      text.append(", login ").append(user).append(" / ").append(password);
    }
    return text.toString();
  }
}
