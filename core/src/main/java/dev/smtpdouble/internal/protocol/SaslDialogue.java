package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Settings;
import dev.smtpdouble.Tls;

/**
 * One AUTH command's dialogue (RFC 4954): whether the command is refused, then the challenges and
 * the client's responses until success or failure. The session sends the replies and reads the
 * lines; this class decides them.
 */
final class SaslDialogue {
  private final AuthMechanism mechanism;
  private final String initial;
  private final EncodedReply refusal;
  private final Sasl.Exchange exchange;
  private final StandardReplies replies;
  private Sasl.Step step;

  private SaslDialogue(
      AuthMechanism mechanism,
      String initial,
      EncodedReply refusal,
      Sasl.Exchange exchange,
      StandardReplies replies) {
    this.mechanism = mechanism;
    this.initial = initial;
    this.refusal = refusal;
    this.exchange = exchange;
    this.replies = replies;
  }

  /**
   * The dialogue an AUTH command opens.
   *
   * @param argument the command's argument: mechanism and maybe an initial response
   * @param secure whether TLS is active
   * @param authenticated whether the session is authenticated already
   * @param inTransaction whether a mail transaction is under way
   */
  static SaslDialogue open(
      String argument,
      Settings settings,
      StandardReplies replies,
      boolean secure,
      boolean authenticated,
      boolean inTransaction) {
    String[] words = argument.isEmpty() ? new String[0] : argument.split(" +", 2);
    AuthMechanism mechanism =
        words.length == 0 || !settings.authEnabled()
            ? null
            : AuthMechanism.fromKeyword(words[0])
                .filter(settings.authMechanisms()::contains)
                .orElse(null);
    String initial = words.length == 2 ? words[1] : null;
    Tls tls = settings.tls();
    EncodedReply refusal = null;
    if (!settings.authEnabled()) {
      refusal = replies.authNotEnabled;
    } else if (words.length == 0) {
      refusal = replies.authSyntax;
    } else if (tls != null && tls.isRequired() && !secure) {
      refusal = replies.tlsRequired;
    } else if (authenticated) {
      refusal = replies.authAlready;
    } else if (inTransaction) {
      refusal = replies.authInTransaction;
    } else if (mechanism == null) {
      refusal = replies.authUnknownMechanism;
    } else if (mechanism == AuthMechanism.CRAM_MD5 && initial != null) {
      // RFC 4954 §4: the server speaks first in CRAM-MD5, so an initial response MUST get 501
      refusal = replies.cramMd5InitialResponse;
    } else if (mechanism.plaintext()
        && !secure
        && (settings.plaintextAuthNeedsTls() || settings.strict())) {
      refusal = replies.authNeedsTls;
    }
    Sasl.Exchange exchange =
        refusal != null ? null : Sasl.exchange(mechanism, settings.users(), settings.hostname());
    return new SaslDialogue(mechanism, initial, refusal, exchange, replies);
  }

  /** The mechanism asked for, when it is one offered; else null. */
  AuthMechanism mechanism() {
    return mechanism;
  }

  /** The normal answer to the AUTH command: its refusal, or the first challenge or outcome. */
  EncodedReply first() {
    if (exchange == null) {
      return refusal;
    }
    step = exchange.start(initial);
    return reply(step);
  }

  /**
   * The answer to one response line of the client's; {@code *} cancels (RFC 4954 §4). Without an
   * exchange under way (the 334 was scripted) nothing can verify the response: it fails.
   */
  EncodedReply respond(String line) {
    if (line.equals("*")) {
      step = null;
      return replies.authAborted;
    }
    step = exchange == null ? new Sasl.Failure(false, "") : exchange.respond(line);
    return reply(step);
  }

  /** A rule answered 235: whoever the initial response claims to be is authenticated. */
  void scriptedSuccess() {
    step = new Sasl.Success(claimedUser());
  }

  /** The user authenticated when the last answer was a 235, else null. */
  String user() {
    return step instanceof Sasl.Success success ? success.user() : null;
  }

  private EncodedReply reply(Sasl.Step next) {
    if (next instanceof Sasl.Challenge challenge) {
      return EncodedReply.of(334, challenge.text());
    }
    if (next instanceof Sasl.Success) {
      return replies.authOk;
    }
    return ((Sasl.Failure) next).undecodable() ? replies.authUndecodable : replies.authFailed;
  }

  /** The user an initial response names, for a scripted 235; empty when it names none. */
  private String claimedUser() {
    if (mechanism == null || initial == null) {
      return "";
    }
    String text = Sasl.decode(initial);
    if (text == null) {
      return "";
    }
    return switch (mechanism) {
      case PLAIN -> {
        String[] parts = text.split("\0", -1);
        yield parts.length == 3 ? parts[1] : "";
      }
      case LOGIN -> text;
      case XOAUTH2 -> text.startsWith("user=") ? text.substring(5).split("\u0001", 2)[0] : "";
      case CRAM_MD5 -> "";
    };
  }
}
