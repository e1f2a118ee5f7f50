package dev.smtpdouble.examples.catalogue;

import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.api.mailer.config.TransportStrategy;
import org.simplejavamail.email.EmailBuilder;
import org.simplejavamail.mailer.MailerBuilder;
import org.simplejavamail.mailer.internal.MailerRegularBuilderImpl;

/** Simple Java Mail: a {@code Mailer} from {@code MailerBuilder}, sending synchronously. */
final class SimpleJavaMailClient implements MailClient {

  @Override
  public String wiring() {
    return "`Mailer.sendMail(email)` from `MailerBuilder.withSMTPServer(..).withSessionTimeout(..)`; for STARTTLS `TransportStrategy.SMTP_TLS` with `withCustomSSLFactoryInstance`; otherwise the default strategy `SMTP`.";
  }

  @Override
  public String name() {
    return "Simple Java Mail " + Versions.of(Mailer.class);
  }

  @Override
  public Configured configure(String host, int port, ClientSettings settings) {
    MailerRegularBuilderImpl builder =
        MailerBuilder.withSMTPServer(host, port).withSessionTimeout(settings.timeoutMillis());
    if (settings.requireStartTls()) {
      // SMTP_TLS: STARTTLS required; the default strategy SMTP upgrades when it can.
      builder
          .withTransportStrategy(TransportStrategy.SMTP_TLS)
          .withCustomSSLFactoryInstance(settings.trust().socketFactory());
    }
    if (settings.user() != null) {
      builder.withSMTPServerUsername(settings.user()).withSMTPServerPassword(settings.password());
    }
    Mailer mailer = builder.buildMailer();
    return new Configured() {
      @Override
      public void send(Mail mail) {
        mailer.sendMail(email(mail)).join();
      }

      @Override
      public void close() throws Exception {
        mailer.shutdownConnectionPool().get();
      }
    };
  }

  static Email email(Mail mail) {
    return EmailBuilder.startingBlank()
        .from(mail.from())
        .toMultiple(mail.to().toArray(String[]::new))
        .withSubject(mail.subject())
        .withPlainText(mail.body())
        .buildEmail();
  }
}
