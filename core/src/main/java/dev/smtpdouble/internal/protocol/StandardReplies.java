package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.Extension;
import dev.smtpdouble.Reply;
import dev.smtpdouble.ReplyClass;
import dev.smtpdouble.ReplyCode;
import dev.smtpdouble.Settings;
import dev.smtpdouble.Tls;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;

/**
 * The double's own replies, with the texts users know from real servers (Postfix wording where
 * there is a choice), encoded once per double. Enhanced status codes (RFC 3463) lead every reply
 * text that takes one unless ENHANCEDSTATUSCODES is switched off.
 */
public final class StandardReplies {
  private final String host;
  private final boolean enhanced;

  final EncodedReply greeting;
  private final EncodedReply ehloPlain;
  private final EncodedReply ehloSecure;
  final EncodedReply helo;
  final EncodedReply mailOk;
  final EncodedReply rcptOk;
  final EncodedReply startData;
  final EncodedReply queued;
  final EncodedReply ok;
  final EncodedReply vrfy;
  final EncodedReply expn;
  final EncodedReply help;
  final EncodedReply bye;
  final EncodedReply unknownCommand;
  final EncodedReply badSyntax;
  final EncodedReply lineTooLong;
  final EncodedReply notImplemented;
  final EncodedReply needMail;
  final EncodedReply needRcpt;
  final EncodedReply nestedMail;
  final EncodedReply sizeExceeded;
  final EncodedReply tooManyRecipients;
  final EncodedReply idleTimeout;
  final EncodedReply tooManySessions;
  final EncodedReply shuttingDown;
  final EncodedReply authNotEnabled;
  final EncodedReply chunkingNotOffered;
  final EncodedReply chunkingNotAdvertised;
  final EncodedReply badSenderSyntax;
  final EncodedReply badRecipientSyntax;
  final EncodedReply binaryMimeNeedsBdat;
  final EncodedReply nullRecipient;
  final EncodedReply heloSyntax;
  final EncodedReply ehloSyntax;
  final EncodedReply mailSyntax;
  final EncodedReply rcptSyntax;
  final EncodedReply bdatSyntax;
  final EncodedReply vrfySyntax;
  final EncodedReply noArguments;
  final EncodedReply tlsReady;
  final EncodedReply tlsActive;
  final EncodedReply tlsRequired;
  final EncodedReply authRequired;
  final EncodedReply authOk;
  final EncodedReply authFailed;
  final EncodedReply authAlready;
  final EncodedReply authInTransaction;
  final EncodedReply authUnknownMechanism;
  final EncodedReply authNeedsTls;
  final EncodedReply authAborted;
  final EncodedReply authUndecodable;
  final EncodedReply authSyntax;
  final EncodedReply nonAsciiNeedsSmtpUtf8;
  final EncodedReply bareLf;
  final EncodedReply bareCr;
  final EncodedReply noService;
  final EncodedReply needHelo;
  final EncodedReply dataAfterBdat;
  final EncodedReply cramMd5InitialResponse;
  final EncodedReply largerThanDeclared;

  /** What the replies depend on; doubles with equal keys share one set of encoded replies. */
  private record Key(
      String hostname,
      Set<Extension> extensions,
      long sizeLimit,
      Tls.Mode tlsMode,
      boolean tlsAdvertised,
      boolean auth,
      Set<AuthMechanism> mechanisms,
      boolean plaintextAuthNeedsTls,
      Map<String, Reply> replacements) {
    static Key of(Settings settings, Map<String, Reply> replacements) {
      Tls tls = settings.tls();
      return new Key(
          settings.hostname(),
          settings.extensions(),
          settings.sizeLimit(),
          tls == null ? null : tls.mode(),
          tls != null && tls.isAdvertised(),
          settings.authEnabled(),
          settings.authMechanisms(),
          settings.plaintextAuthNeedsTls(),
          Map.copyOf(replacements));
    }

    // Written out rather than generated: a record's generated equals and hashCode are linked
    // through invokedynamic on first use, which costs the first double in a JVM about 20 ms.
    // A new component goes into both.
    @Override
    public boolean equals(Object other) {
      return other instanceof Key k
          && hostname.equals(k.hostname)
          && extensions.equals(k.extensions)
          && sizeLimit == k.sizeLimit
          && tlsMode == k.tlsMode
          && tlsAdvertised == k.tlsAdvertised
          && auth == k.auth
          && mechanisms.equals(k.mechanisms)
          && plaintextAuthNeedsTls == k.plaintextAuthNeedsTls;
    }

    @Override
    public int hashCode() {
      int h = hostname.hashCode();
      h = 31 * h + extensions.hashCode();
      h = 31 * h + Long.hashCode(sizeLimit);
      h = 31 * h + (tlsMode == null ? 0 : tlsMode.hashCode());
      h = 31 * h + Boolean.hashCode(tlsAdvertised);
      h = 31 * h + Boolean.hashCode(auth);
      h = 31 * h + mechanisms.hashCode();
      return 31 * h + Boolean.hashCode(plaintextAuthNeedsTls);
    }
  }

  private static final int CACHE_SIZE = 32;
  private static final Map<Key, StandardReplies> CACHE = new ConcurrentHashMap<>();

  /**
   * The replies for a double's settings, encoded once and shared by doubles with the same host
   * name, extensions and limits: a fresh double per test does not encode them again.
   *
   * @param settings the settings
   * @return the replies
   */
  public static StandardReplies of(Settings settings) {
    return of(settings, Map.of());
  }

  /**
   * The replies for a double's settings with some standard replies replaced, as a provider
   * persona replaces them: {@code greeting}, {@code ehlo}, {@code ehlo-secure}, {@code tls-ready},
   * {@code tls-required}, {@code auth-ok}, {@code auth-failed}, {@code auth-required}, {@code
   * bye}, {@code too-many-recipients}, {@code size-exceeded}, {@code mail-ok}, {@code rcpt-ok},
   * {@code queued}.
   *
   * @param settings the settings
   * @param replacements the replies to send instead, by name
   * @return the replies
   */
  public static StandardReplies of(Settings settings, Map<String, Reply> replacements) {
    Key key = Key.of(settings, replacements);
    StandardReplies replies = CACHE.get(key);
    if (replies == null) {
      if (CACHE.size() >= CACHE_SIZE) {
        CACHE.clear(); // a few settings in use at a time: no need for anything smarter
      }
      replies = new StandardReplies(settings, key.replacements());
      CACHE.putIfAbsent(key, replies);
    }
    return replies;
  }

  private StandardReplies(Settings settings, Map<String, Reply> replacements) {
    this.host = settings.hostname();
    this.enhanced = settings.extensions().contains(Extension.ENHANCED_STATUS_CODES);
    greeting = replaced(replacements, "greeting", EncodedReply.of(220, host + " ESMTP"));
    ehloPlain = replaced(replacements, "ehlo", EncodedReply.of(250, ehloLines(settings, false)));
    ehloSecure = replaced(replacements, "ehlo-secure", EncodedReply.of(250, ehloLines(settings, true)));
    helo = EncodedReply.of(250, host);
    mailOk = replaced(replacements, "mail-ok", reply(250, "2.1.0", "Ok"));
    rcptOk = replaced(replacements, "rcpt-ok", reply(250, "2.1.5", "Ok"));
    startData = EncodedReply.of(354, ReplyCode.of(354).standardText());
    queued = replaced(replacements, "queued", reply(250, "2.0.0", "Ok: queued"));
    ok = reply(250, "2.0.0", "Ok");
    vrfy = reply(252, "2.0.0", "Cannot VRFY user, but will accept message and attempt delivery");
    expn = reply(502, "5.5.1", "Error: EXPN not supported");
    help =
        EncodedReply.of(
            214,
            List.of(
                prefix("2.0.0") + "Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY",
                prefix("2.0.0") + "See RFC 5321 for details"));
    bye = replaced(replacements, "bye", reply(221, "2.0.0", "Bye"));
    unknownCommand = reply(500, "5.5.2", "Error: command not recognized");
    badSyntax = reply(500, "5.5.2", "Error: bad syntax");
    lineTooLong = reply(500, "5.5.2", "Error: line too long");
    notImplemented = reply(502, "5.5.1", "Error: command not implemented");
    needMail = reply(503, "5.5.1", "Error: need MAIL command");
    needRcpt = reply(503, "5.5.1", "Error: need RCPT command");
    nestedMail = reply(503, "5.5.1", "Error: nested MAIL command");
    sizeExceeded = replaced(replacements, "size-exceeded", reply(552, "5.3.4", "Message size exceeds fixed limit"));
    tooManyRecipients = replaced(replacements, "too-many-recipients", reply(452, "4.5.3", "Error: too many recipients"));
    idleTimeout = reply(421, "4.4.2", host + " Error: timeout exceeded");
    tooManySessions = reply(421, "4.3.2", host + " Error: too many connections");
    shuttingDown = reply(421, "4.3.2", host + " Service shutting down, closing transmission channel");
    authNotEnabled = reply(503, "5.5.1", "Error: authentication not enabled");
    chunkingNotOffered = reply(502, "5.5.1", "Error: BDAT not offered (no CHUNKING)");
    chunkingNotAdvertised = reply(503, "5.5.1", "Error: BDAT needs EHLO with CHUNKING first");
    badSenderSyntax = reply(501, "5.1.7", "Bad sender address syntax");
    badRecipientSyntax = reply(501, "5.1.3", "Bad recipient address syntax");
    binaryMimeNeedsBdat = reply(503, "5.5.1", "Error: BODY=BINARYMIME requires BDAT");
    nullRecipient = reply(501, "5.1.3", "Bad recipient address syntax");
    heloSyntax = reply(501, "5.5.4", "Syntax: HELO hostname");
    ehloSyntax = reply(501, "5.5.4", "Syntax: EHLO hostname");
    mailSyntax = reply(501, "5.5.4", "Syntax: MAIL FROM:<address>");
    rcptSyntax = reply(501, "5.5.4", "Syntax: RCPT TO:<address>");
    bdatSyntax = reply(501, "5.5.4", "Syntax: BDAT count [LAST]");
    vrfySyntax = reply(501, "5.5.4", "Syntax: VRFY address");
    noArguments = reply(501, "5.5.4", "Syntax error: no arguments allowed");
    tlsReady = replaced(replacements, "tls-ready", reply(220, "2.0.0", "Ready to start TLS"));
    tlsActive = reply(503, "5.5.1", "Error: TLS already active");
    tlsRequired = replaced(replacements, "tls-required", reply(530, "5.7.0", "Must issue a STARTTLS command first"));
    authRequired = replaced(replacements, "auth-required", reply(530, "5.7.0", "Authentication required"));
    authOk = replaced(replacements, "auth-ok", reply(235, "2.7.0", "Authentication successful"));
    authFailed = replaced(replacements, "auth-failed", reply(535, "5.7.8", "Error: authentication failed"));
    authAlready = reply(503, "5.5.1", "Error: already authenticated");
    authInTransaction = reply(503, "5.5.1", "Error: MAIL transaction in progress");
    authUnknownMechanism = reply(504, "5.5.4", "Unrecognized authentication type");
    authNeedsTls = reply(538, "5.7.11", "Encryption required for requested authentication mechanism");
    authAborted = reply(501, "5.7.0", "Authentication aborted");
    authUndecodable = reply(501, "5.5.2", "Cannot decode response");
    authSyntax = reply(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    nonAsciiNeedsSmtpUtf8 = reply(553, "5.6.7", "Error: non-ASCII address requires SMTPUTF8");
    bareLf = reply(500, "5.5.2", "Error: bare <LF> received");
    bareCr = reply(500, "5.5.2", "Error: bare <CR> received");
    noService = reply(503, "5.5.1", "Error: no service");
    needHelo = reply(503, "5.5.1", "Error: send HELO/EHLO first");
    dataAfterBdat = reply(503, "5.5.1", "Error: DATA after BDAT in the same transaction");
    cramMd5InitialResponse = reply(501, "5.5.4", "Error: CRAM-MD5 takes no initial response");
    largerThanDeclared = reply(552, "5.3.4", "Message larger than its declared SIZE");
  }

  /**
   * The EHLO reply: the host, the extensions offered, STARTTLS while the session is plain (when
   * TLS is offered and advertised), and AUTH with the mechanisms usable on this session.
   */
  private static List<String> ehloLines(Settings settings, boolean secure) {
    List<String> lines = new ArrayList<>();
    lines.add(settings.hostname());
    for (Extension extension : Extension.values()) {
      if (!settings.extensions().contains(extension)) {
        continue;
      }
      if (extension == Extension.SIZE) {
        lines.add("SIZE " + settings.sizeLimit());
      } else {
        lines.add(extension.keyword());
      }
    }
    Tls tls = settings.tls();
    if (tls != null && tls.mode() == Tls.Mode.STARTTLS && tls.isAdvertised() && !secure) {
      lines.add("STARTTLS");
    }
    if (settings.authEnabled()) {
      StringBuilder auth = new StringBuilder("AUTH");
      for (AuthMechanism mechanism : AuthMechanism.values()) {
        boolean usable =
            settings.authMechanisms().contains(mechanism)
                && (secure || !mechanism.plaintext() || !settings.plaintextAuthNeedsTls());
        if (usable) {
          auth.append(' ').append(mechanism.keyword());
        }
      }
      if (auth.length() > 4) {
        lines.add(auth.toString());
      }
    }
    return lines;
  }

  private static EncodedReply replaced(
      Map<String, Reply> replacements, String name, EncodedReply standard) {
    Reply replacement = replacements.get(name);
    return replacement == null ? standard : EncodedReply.of(replacement.code(), replacement.lines());
  }

  /**
   * The 421 every open session gets as the double closes (RFC 5321 §3.8), as it goes on the wire.
   *
   * @return the bytes, CRLF included
   */
  public byte[] shuttingDown() {
    return shuttingDown.wire().clone();
  }

  /** The EHLO reply for a plain or an encrypted session. */
  EncodedReply ehlo(boolean secure) {
    return secure ? ehloSecure : ehloPlain;
  }

  /**
   * A reply of the double's own with an enhanced code when they are on.
   *
   * @param code the code
   * @param enhancedCode the RFC 3463 code
   * @param text the text after it
   * @return the reply
   */
  EncodedReply reply(int code, String enhancedCode, String text) {
    return EncodedReply.of(code, prefix(enhancedCode) + text);
  }

  /** 555 for a MAIL/RCPT parameter the double does not offer (RFC 5321 §4.1.1.11). */
  EncodedReply unsupportedParameter(String keyword) {
    return reply(555, "5.5.4", "Unsupported option: " + keyword);
  }

  /** 501 for a parameter whose value is malformed. */
  EncodedReply badParameterValue(String parameter) {
    return reply(501, "5.5.4", "Bad parameter value: " + parameter);
  }

  /** 250 to a non-last BDAT chunk. */
  EncodedReply chunkReceived(long octets) {
    return reply(250, "2.0.0", octets + " octets received");
  }

  /**
   * The reply a rule asks for: its texts as given, or with none, the catalogue's standard text
   * (with the host name where RFC 5321 puts it, and an enhanced code when they are on).
   *
   * @param code the code
   * @param texts the rule's texts, possibly empty
   * @return the reply
   */
  public EncodedReply scripted(int code, List<String> texts) {
    if (!texts.isEmpty()) {
      return EncodedReply.of(code, texts);
    }
    Optional<ReplyCode> known = ReplyCode.find(code);
    String text =
        known
            .map(ReplyCode::standardText)
            .orElseGet(() -> capitalize(ReplyClass.of(code).description()));
    if (code == 220 || code == 221 || code == 421) {
      text = host + " " + text;
    }
    String enhancedCode = known.flatMap(ReplyCode::defaultEnhancedCode).orElse(null);
    if (enhancedCode == null && code != 220 && code != 354 && code != 334 && code / 100 != 3) {
      enhancedCode = (code / 100) + ".0.0";
    }
    return EncodedReply.of(code, enhancedCode == null ? text : prefix(enhancedCode) + text);
  }

  private String prefix(String enhancedCode) {
    return enhanced ? enhancedCode + " " : "";
  }

  private static String capitalize(String text) {
    return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
  }
}
