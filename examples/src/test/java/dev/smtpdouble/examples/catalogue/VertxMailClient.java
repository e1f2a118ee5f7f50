package dev.smtpdouble.examples.catalogue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x mail client: asynchronous; the harness waits for the future that {@code sendMail}
 * returns and reports what it failed with.
 */
final class VertxMailClient implements dev.smtpdouble.examples.catalogue.MailClient {

  @Override
  public String wiring() {
    return "`MailClient.sendMail(message)`, waiting for its `Future`; `MailConfig` with `setConnectTimeout`, `setIdleTimeout`, `StartTLSOptions.REQUIRED` with `PemTrustOptions`, `LoginOption.REQUIRED`; otherwise defaults (STARTTLS `OPTIONAL`, pipelining on).";
  }

  @Override
  public String name() {
    return "Vert.x mail client " + Versions.of(MailClient.class);
  }

  static MailConfig config(String host, int port, ClientSettings settings) {
    MailConfig config =
        new MailConfig()
            .setHostname(host)
            .setPort(port)
            .setConnectTimeout(settings.timeoutMillis())
            .setIdleTimeout(settings.timeoutMillis())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (settings.requireStartTls()) {
      config
          .setStarttls(StartTLSOptions.REQUIRED)
          .setTrustOptions(
              new PemTrustOptions().addCertValue(Buffer.buffer(settings.trust().certificatePem())))
          .setHostnameVerificationAlgorithm("HTTPS");
    }
    if (settings.user() != null) {
      config
          .setLogin(LoginOption.REQUIRED)
          .setUsername(settings.user())
          .setPassword(settings.password());
    }
    return config;
  }

  static MailMessage message(Mail mail) {
    return new MailMessage()
        .setFrom(mail.from())
        .setTo(mail.to())
        .setSubject(mail.subject())
        .setText(mail.body());
  }

  @Override
  public Configured configure(String host, int port, ClientSettings settings) {
    Vertx vertx = Vertx.vertx();
    MailClient client = MailClient.create(vertx, config(host, port, settings));
    return new Configured() {
      @Override
      public void send(Mail mail) throws Exception {
        // An ExecutionException: the harness reports its cause, what the future failed with.
        client.sendMail(message(mail)).toCompletionStage().toCompletableFuture().get();
      }

      @Override
      public void close() throws Exception {
        try {
          client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } finally {
          vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
      }
    };
  }
}
