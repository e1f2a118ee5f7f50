package dev.smtpdouble.robustness;

import static dev.smtpdouble.robustness.Fuzz.bytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.testing.RawClient;
import dev.smtpdouble.SmtpDouble;
import dev.smtpdouble.Violation;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Secrets never show (issue 9, part 5): random AUTH exchanges (every mechanism, right and wrong
 * secrets, initial responses or not, cancelled, refused by a rule, in any case, with bare LF
 * line ends, with the next command pipelined after the secret, in strict mode or not); neither
 * the configured secret nor any line that carried it appears in the transcript, its explained
 * rendering, or the violations (which the command line prints and writes to violations.log).
 */
class SecretMaskingFuzzTest {
  private static final AtomicLong TRIES = new AtomicLong();
  private static final AtomicLong EXCHANGES = new AtomicLong();

  @AfterContainer
  static void report() {
    Robustness.report(
        "SecretMaskingFuzzTest: %d sessions, %d AUTH exchanges checked for secrets",
        TRIES.get(), EXCHANGES.get());
  }

  enum Mechanism {
    PLAIN,
    LOGIN,
    CRAM_MD5,
    XOAUTH2
  }

  /** One AUTH attempt and how the client words it. */
  record Attempt(
      Mechanism mechanism,
      boolean initialResponse,
      boolean rightSecret,
      boolean cancel,
      boolean lowerCase,
      boolean bareLf,
      boolean pipelineNext) {}

  record Setup(String user, String secret, boolean strict, boolean refuseOnce, List<Attempt> attempts) {}

  @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
  @FullTries(2000)
  void noSecretEverShowsInATranscriptOrAViolation(@ForAll("setups") Setup setup, @ForAll long seed) {
    TRIES.incrementAndGet();
    Random random = new Random(seed);
    SmtpDouble.Builder builder = SmtpDouble.builder().user(setup.user(), setup.secret());
    if (setup.strict()) {
      builder.strict();
    }
    if (setup.refuseOnce()) {
      builder.script("reply 535 to AUTH once");
    }
    List<String> secretLines = new ArrayList<>();
    try (SmtpDouble smtp = builder.start()) {
      try (RawClient client = RawClient.connect(smtp.host(), smtp.port(), 10_000)) {
        assertThat(client.nextReply().code()).isEqualTo(220);
        client.write(bytes("EHLO client.test\r\n"));
        assertThat(client.nextReply().code()).isEqualTo(250);
        for (Attempt attempt : setup.attempts()) {
          EXCHANGES.incrementAndGet();
          if (!exchange(client, setup, attempt, secretLines, random)) {
            break;
          }
        }
        client.write(bytes("QUIT\r\n"));
        client.readToEnd();
      }
      Fuzz.awaitEnded(smtp, 1, 5_000);

      List<String> renderings = new ArrayList<>();
      renderings.add(smtp.transcript().toString());
      renderings.add(smtp.transcript().explained());
      for (Violation violation : smtp.violations()) {
        renderings.add(violation.toString());
        renderings.add(violation.line());
      }
      List<String> secrets = new ArrayList<>(secretLines);
      secrets.add(setup.secret());
      secrets.add(b64(setup.secret()));
      for (String rendering : renderings) {
        for (String secret : secrets) {
          assertThat(rendering).as("a rendering of the session").doesNotContain(secret);
        }
      }
    }
  }

  /** Runs one attempt; false when the double ended the session. */
  private static boolean exchange(
      RawClient client, Setup setup, Attempt attempt, List<String> secretLines, Random random) {
    String secret = attempt.rightSecret() ? setup.secret() : setup.secret() + "x";
    String user = setup.user();
    String keyword = attempt.mechanism() == Mechanism.CRAM_MD5 ? "CRAM-MD5" : attempt.mechanism().name();
    String verb = attempt.lowerCase() ? "auth " + keyword.toLowerCase() : "AUTH " + keyword;
    String end = attempt.bareLf() ? "\n" : "\r\n";
    List<String> responses = new ArrayList<>();
    String initial = null;
    switch (attempt.mechanism()) {
      case PLAIN -> {
        String plain = b64((random.nextBoolean() ? user : "") + "\0" + user + "\0" + secret);
        secretLines.add(plain);
        if (attempt.initialResponse()) {
          initial = plain;
        } else {
          responses.add(plain);
        }
      }
      case LOGIN -> {
        String password = b64(secret);
        secretLines.add(password);
        if (attempt.initialResponse()) {
          initial = b64(user);
        } else {
          responses.add(b64(user));
        }
        responses.add(password);
      }
      case XOAUTH2 -> {
        String token = b64("user=" + user + "\u0001auth=Bearer " + secret + "\u0001\u0001");
        secretLines.add(token);
        if (attempt.initialResponse()) {
          initial = token;
        } else {
          responses.add(token);
        }
        if (!attempt.rightSecret()) {
          responses.add(""); // the client's empty answer to the JSON error
        }
      }
      case CRAM_MD5 -> responses.add(null); // computed from the challenge
    }
    String command = verb + (initial == null ? "" : " " + initial) + end;
    client.writeSplit(bytes(command), random, 8);
    RawClient.Reply reply = client.nextReply();
    if (reply == null) {
      return false;
    }
    for (int i = 0; reply.code() == 334 && i < responses.size(); i++) {
      String response = responses.get(i);
      if (attempt.cancel() && i == responses.size() - 1) {
        response = "*";
      } else if (response == null) {
        String challenge = new String(Base64.getDecoder().decode(reply.last().substring(4)), UTF_8);
        response = b64(user + " " + hmacMd5(secret, challenge));
      }
      boolean last = i == responses.size() - 1;
      String next = last && attempt.pipelineNext() ? "NOOP\r\n" : "";
      client.writeSplit(bytes(response + end + next), random, 8);
      reply = client.nextReply();
      if (reply == null) {
        return false;
      }
      if (!next.isEmpty()) {
        if (reply.code() == 334) {
          // the NOOP was taken as the next response of the exchange
          break;
        }
        if (client.nextReply() == null) {
          return false;
        }
      }
    }
    if (reply.code() == 334) {
      client.write(bytes("*\r\n"));
      reply = client.nextReply();
    }
    return reply != null && reply.code() != 421;
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }

  private static String hmacMd5(String secret, String challenge) {
    try {
      Mac mac = Mac.getInstance("HmacMD5");
      mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacMD5"));
      return HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<Setup> setups() {
    Arbitrary<String> users =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(10);
    Arbitrary<String> secrets =
        Arbitraries.strings()
            .withCharRange('!', '~')
            .withChars('\u00e9', '\u20ac', ' ')
            .ofMinLength(10)
            .ofMaxLength(40)
            .map(s -> "S3" + s);
    Arbitrary<Attempt> attempts =
        Combinators.combine(
                Arbitraries.of(Mechanism.class),
                Arbitraries.of(true, false),
                Arbitraries.of(true, true, false),
                Arbitraries.of(false, false, false, true),
                Arbitraries.of(false, false, true),
                Arbitraries.of(false, false, false, true),
                Arbitraries.of(false, false, true))
            .as(Attempt::new);
    return Combinators.combine(
            users,
            secrets,
            Arbitraries.of(false, false, true),
            Arbitraries.of(false, false, true),
            attempts.list().ofMinSize(1).ofMaxSize(4))
        .as(Setup::new);
  }
}
