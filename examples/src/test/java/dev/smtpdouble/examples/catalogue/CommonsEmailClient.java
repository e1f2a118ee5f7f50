package dev.smtpdouble.examples.catalogue;

import org.apache.commons.mail2.core.EmailException;
import org.apache.commons.mail2.jakarta.Email;
import org.apache.commons.mail2.jakarta.SimpleEmail;

/** Apache Commons Email 2 for Jakarta: a {@code SimpleEmail} per message. */
final class CommonsEmailClient implements MailClient {

  @Override
  public String wiring() {
    return "`SimpleEmail.send()` with `setSocketConnectionTimeout`/`setSocketTimeout`, `setStartTLSEnabled`/`setStartTLSRequired`, `setAuthentication`; the trusting socket factory goes into `getMailSession().getProperties()`.";
  }

  @Override
  public String name() {
    return "Apache Commons Email " + Versions.of(Email.class);
  }

  @Override
  public Configured configure(String host, int port, ClientSettings settings) {
    return mail -> email(host, port, settings, mail).send();
  }

  static SimpleEmail email(String host, int port, ClientSettings settings, Mail mail)
      throws EmailException {
    SimpleEmail email = new SimpleEmail();
    email.setHostName(host);
    email.setSmtpPort(port);
    email.setSocketConnectionTimeout(settings.timeout());
    email.setSocketTimeout(settings.timeout());
    if (settings.requireStartTls()) {
      email.setStartTLSEnabled(true);
      email.setStartTLSRequired(true);
      email.setSSLCheckServerIdentity(true);
    }
    if (settings.user() != null) {
      email.setAuthentication(settings.user(), settings.password());
    }
    email.setFrom(mail.from());
    for (String to : mail.to()) {
      email.addTo(to);
    }
    email.setSubject(mail.subject());
    email.setMsg(mail.body());
    if (settings.requireStartTls()) {
      // Commons Email has no setting for the trust store: it builds the Jakarta Mail session on
      // first use, and the session's properties take the socket factory that trusts the double.
      email
          .getMailSession()
          .getProperties()
          .put("mail.smtp.ssl.socketFactory", settings.trust().socketFactory());
    }
    return email;
  }
}
