package dev.smtpdouble.assertj;

import dev.smtpdouble.AuthMechanism;
import dev.smtpdouble.ReceivedMessage;
import dev.smtpdouble.Reply;
import dev.smtpdouble.junit5.internal.Evidence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one {@link ReceivedMessage}: its envelope, headers, body, the double's answer, its
 * ESMTP parameters, the TLS and AUTH of its session and, with Jakarta Mail on the class path, its
 * MIME parts. Create them with {@link SmtpAssertions#assertThat(ReceivedMessage)} or reach them
 * from {@link SmtpDoubleAssert#first()}. A message is immutable, so nothing here waits.
 *
 * <pre>{@code
 * assertThat(smtp).hasReceived(1).first()
 *     .hasFrom("shop@example.test").hasRecipients("alice@example.test")
 *     .hasSubject("Welcome").bodyContains("Hello Alice").isAccepted();
 * }</pre>
 *
 * <p>Failures show the message in one line (envelope, subject and the double's answer) and explain
 * reply codes from the catalogue ({@link dev.smtpdouble.ReplyCode}, {@link
 * dev.smtpdouble.EnhancedStatusCode}).
 *
 * @since 0.1
 */
public class ReceivedMessageAssert extends AbstractAssert<ReceivedMessageAssert, ReceivedMessage> {
  private static final int BODY_SHOWN = 1000;

  /**
   * Creates assertions on a message; {@link SmtpAssertions#assertThat(ReceivedMessage)} reads
   * better.
   *
   * @param actual the message, may be null (the assertions then fail)
   */
  public ReceivedMessageAssert(ReceivedMessage actual) {
    super(actual, ReceivedMessageAssert.class);
  }

  /**
   * Checks the envelope sender, the address of MAIL FROM.
   *
   * @param expected the address without angle brackets; empty for the null sender {@code <>}
   * @return this assertion
   * @throws AssertionError when the sender differs
   */
  public ReceivedMessageAssert hasFrom(String expected) {
    isNotNull();
    if (!actual.from().equals(expected)) {
      throw shouldHave(
          "envelope sender (MAIL FROM)", "<" + expected + ">", "it was", "<" + actual.from() + ">");
    }
    return myself;
  }

  /**
   * Checks the envelope recipients the double accepted: exactly these, in any order.
   *
   * @param expected the addresses without angle brackets
   * @return this assertion
   * @throws AssertionError when a recipient is missing or another is there
   */
  public ReceivedMessageAssert hasRecipients(String... expected) {
    isNotNull();
    List<String> actualRecipients = actual.recipients();
    List<String> missing = new ArrayList<>(Arrays.asList(expected));
    List<String> unexpected = new ArrayList<>();
    for (String recipient : actualRecipients) {
      if (!missing.remove(recipient)) {
        unexpected.add(recipient);
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      StringBuilder detail = new StringBuilder();
      if (!missing.isEmpty()) {
        detail.append("\nmissing:\n  ").append(missing);
      }
      if (!unexpected.isEmpty()) {
        detail.append("\nunexpected:\n  ").append(unexpected);
      }
      throw shouldHave(
          "exactly these envelope recipients (RCPT TO), in any order",
          Arrays.toString(expected),
          "it had",
          actualRecipients + detail.toString());
    }
    return myself;
  }

  /**
   * Checks that one address is among the envelope recipients the double accepted.
   *
   * @param expected the address without angle brackets
   * @return this assertion
   * @throws AssertionError when it is not
   */
  public ReceivedMessageAssert hasRecipient(String expected) {
    isNotNull();
    if (!actual.recipients().contains(expected)) {
      throw shouldHave(
          "among its envelope recipients (RCPT TO)",
          "<" + expected + ">",
          "it had",
          actual.recipients().toString());
    }
    return myself;
  }

  /**
   * Checks the decoded Subject header.
   *
   * @param expected the subject
   * @return this assertion
   * @throws AssertionError when the subject differs or is missing
   */
  public ReceivedMessageAssert hasSubject(String expected) {
    isNotNull();
    Optional<String> subject = actual.header("Subject");
    if (subject.isEmpty() || !subject.get().equals(expected)) {
      throw shouldHave(
          "subject",
          quote(expected),
          subject.isPresent() ? "it was" : "it had",
          subject.map(ReceivedMessageAssert::quote).orElse("no Subject header"));
    }
    return myself;
  }

  /**
   * Checks that the message has a header, with any value.
   *
   * @param name the header name, any case
   * @return this assertion
   * @throws AssertionError when there is no such header
   */
  public ReceivedMessageAssert hasHeader(String name) {
    isNotNull();
    if (actual.header(name).isEmpty()) {
      throw shouldHave("a header", name, "its headers were", headerNames());
    }
    return myself;
  }

  /**
   * Checks that one of the values of a header (unfolded and decoded) equals the given one.
   *
   * @param name the header name, any case
   * @param expected the value
   * @return this assertion
   * @throws AssertionError when no value of that header equals it
   */
  public ReceivedMessageAssert hasHeader(String name, String expected) {
    isNotNull();
    List<String> values = actual.headers(name);
    if (!values.contains(expected)) {
      if (values.isEmpty()) {
        throw shouldHave(
            "header " + name + " with value",
            quote(expected),
            "it had no " + name + " header; its headers were",
            headerNames());
      }
      List<String> quoted = new ArrayList<>();
      values.forEach(value -> quoted.add(quote(value)));
      throw shouldHave(
          "header " + name + " with value", quote(expected), "its values were", quoted.toString());
    }
    return myself;
  }

  /**
   * Checks that the body text ({@link ReceivedMessage#text()}: transfer encoding undone, charset
   * decoded) contains every one of the given values.
   *
   * @param values the texts to find
   * @return this assertion
   * @throws AssertionError naming the values not found and showing the body
   */
  public ReceivedMessageAssert bodyContains(CharSequence... values) {
    isNotNull();
    String text = actual.text();
    List<String> missing = new ArrayList<>();
    for (CharSequence value : values) {
      if (!text.contains(value)) {
        missing.add(quote(value.toString()));
      }
    }
    if (!missing.isEmpty()) {
      throw shouldHave(
          "a body containing",
          missing.size() == 1 ? missing.get(0) : missing.toString(),
          "the body was",
          body(text));
    }
    return myself;
  }

  /**
   * Checks that the whole body text matches a regular expression (with {@code .} matching line
   * breaks too).
   *
   * @param regex the regular expression
   * @return this assertion
   * @throws AssertionError when the body does not match
   */
  public ReceivedMessageAssert bodyMatches(String regex) {
    isNotNull();
    String text = actual.text();
    if (!Pattern.compile(regex, Pattern.DOTALL).matcher(text).matches()) {
      throw shouldHave("a body matching", regex, "the body was", body(text));
    }
    return myself;
  }

  /**
   * Checks that some part of the body text matches a regular expression.
   *
   * @param regex the regular expression
   * @return this assertion
   * @throws AssertionError when no part of the body matches
   */
  public ReceivedMessageAssert bodyContainsPattern(String regex) {
    isNotNull();
    String text = actual.text();
    if (!Pattern.compile(regex).matcher(text).find()) {
      throw shouldHave("a body containing the pattern", regex, "the body was", body(text));
    }
    return myself;
  }

  /**
   * Checks that the double accepted the message: it answered the end of its data with 2xx.
   *
   * @return this assertion
   * @throws AssertionError showing and explaining the double's answer
   */
  public ReceivedMessageAssert isAccepted() {
    isNotNull();
    if (!actual.accepted()) {
      throw answerFailure("to have been accepted (a 2xx reply to the end of its data)");
    }
    return myself;
  }

  /**
   * Checks that the double rejected the message: it answered the end of its data with 4xx or 5xx.
   *
   * @return this assertion
   * @throws AssertionError showing and explaining the double's answer
   */
  public ReceivedMessageAssert isRejected() {
    isNotNull();
    Optional<Reply> reply = actual.reply();
    if (reply.isEmpty() || reply.get().code() < 400) {
      throw answerFailure("to have been rejected (a 4xx or 5xx reply to the end of its data)");
    }
    return myself;
  }

  /**
   * Checks the reply code the double answered the end of the data with.
   *
   * @param code the expected code, such as 554
   * @return this assertion
   * @throws AssertionError showing and explaining both codes
   */
  public ReceivedMessageAssert hasReplyCode(int code) {
    isNotNull();
    Optional<Reply> reply = actual.reply();
    if (reply.isEmpty() || reply.get().code() != code) {
      throw answerFailure(
          "to have been answered at the end of its data with:\n  " + Evidence.explain(code));
    }
    return myself;
  }

  /**
   * Checks that MAIL FROM carried a parameter, with any value.
   *
   * @param keyword the keyword, such as {@code "SIZE"}, any case
   * @return this assertion
   * @throws AssertionError when it did not
   */
  public ReceivedMessageAssert hasMailParameter(String keyword) {
    isNotNull();
    Map<String, String> parameters = actual.mailParameters();
    if (!parameters.containsKey(keyword.toUpperCase(Locale.ROOT))) {
      throw shouldHave(
          "MAIL FROM parameter", keyword, "its parameters were", parameters.toString());
    }
    return myself;
  }

  /**
   * Checks that MAIL FROM carried a parameter with a value.
   *
   * @param keyword the keyword, such as {@code "BODY"}, any case
   * @param value the value, such as {@code "8BITMIME"}; {@code ""} for a keyword without value
   * @return this assertion
   * @throws AssertionError when it did not
   */
  public ReceivedMessageAssert hasMailParameter(String keyword, String value) {
    isNotNull();
    Map<String, String> parameters = actual.mailParameters();
    String upper = keyword.toUpperCase(Locale.ROOT);
    if (!Objects.equals(parameters.get(upper), value)) {
      throw shouldHave(
          "MAIL FROM parameter",
          value.isEmpty() ? upper : upper + "=" + value,
          "its parameters were",
          parameters.toString());
    }
    return myself;
  }

  /**
   * Checks the BODY parameter of MAIL FROM.
   *
   * @param bodyType {@code 7BIT}, {@code 8BITMIME} or {@code BINARYMIME}
   * @return this assertion
   * @throws AssertionError when another or none was declared
   */
  public ReceivedMessageAssert hasBodyType(String bodyType) {
    isNotNull();
    Optional<String> declared = actual.bodyType();
    if (declared.isEmpty() || !declared.get().equalsIgnoreCase(bodyType)) {
      throw shouldHave("BODY=", bodyType, "it declared", declared.orElse("none"));
    }
    return myself;
  }

  /**
   * Checks that MAIL FROM carried SMTPUTF8.
   *
   * @return this assertion
   * @throws AssertionError when it did not
   */
  public ReceivedMessageAssert isSmtpUtf8() {
    isNotNull();
    if (!actual.smtpUtf8()) {
      throw shouldHave(
          "MAIL FROM parameter",
          "SMTPUTF8",
          "its parameters were",
          actual.mailParameters().toString());
    }
    return myself;
  }

  /**
   * Checks that the data came in BDAT chunks (CHUNKING) rather than after DATA.
   *
   * @return this assertion
   * @throws AssertionError when it came after DATA
   */
  public ReceivedMessageAssert isChunked() {
    isNotNull();
    if (!actual.chunked()) {
      throw failure(
          "Expecting message\n  %s\nto have been sent in BDAT chunks, but it was sent after DATA",
          Evidence.summary(actual));
    }
    return myself;
  }

  /**
   * Checks that the message came over TLS: its session had done STARTTLS, or was implicit TLS.
   *
   * @return this assertion
   * @throws AssertionError when it came over a plain connection
   */
  public ReceivedMessageAssert wasEncrypted() {
    isNotNull();
    if (!actual.encrypted()) {
      throw failure(
          "Expecting message\n  %s\nto have been sent over TLS (STARTTLS or implicit TLS), but its"
              + " session was not encrypted",
          Evidence.summary(actual));
    }
    return myself;
  }

  /**
   * Checks that the message came over a plain connection, without TLS.
   *
   * @return this assertion
   * @throws AssertionError naming the protocol and cipher suite when it came over TLS
   */
  public ReceivedMessageAssert wasNotEncrypted() {
    isNotNull();
    if (actual.encrypted()) {
      throw failure(
          "Expecting message\n  %s\nnot to have been sent over TLS, but its session was encrypted"
              + " with:\n  %s",
          Evidence.summary(actual), tls());
    }
    return myself;
  }

  /**
   * Checks the TLS protocol of the message's session.
   *
   * @param protocol such as {@code "TLSv1.3"}
   * @return this assertion
   * @throws AssertionError when the session used another protocol or no TLS
   */
  public ReceivedMessageAssert hasTlsProtocol(String protocol) {
    isNotNull();
    Optional<String> actualProtocol = actual.tlsProtocol();
    if (!actualProtocol.equals(Optional.of(protocol))) {
      throw shouldHave("been sent over TLS protocol", protocol, "its session was", tlsOrPlain());
    }
    return myself;
  }

  /**
   * Checks the TLS cipher suite of the message's session.
   *
   * @param cipherSuite such as {@code "TLS_AES_256_GCM_SHA384"}
   * @return this assertion
   * @throws AssertionError when the session used another cipher suite or no TLS
   */
  public ReceivedMessageAssert hasTlsCipherSuite(String cipherSuite) {
    isNotNull();
    Optional<String> actualSuite = actual.tlsCipherSuite();
    if (!actualSuite.equals(Optional.of(cipherSuite))) {
      throw shouldHave(
          "been sent with TLS cipher suite", cipherSuite, "its session was", tlsOrPlain());
    }
    return myself;
  }

  /**
   * Checks the user the message's session authenticated as with AUTH.
   *
   * @param user the authentication identity, as configured with {@code user(name, secret)}
   * @return this assertion
   * @throws AssertionError when the session authenticated as someone else or not at all
   */
  public ReceivedMessageAssert wasAuthenticatedAs(String user) {
    isNotNull();
    if (!actual.authenticatedUser().equals(Optional.of(user))) {
      throw shouldHave(
          "been sent in a session authenticated as", quote(user), "its session was", auth());
    }
    return myself;
  }

  /**
   * Checks the SASL mechanism the message's session authenticated with.
   *
   * @param mechanism such as {@link AuthMechanism#CRAM_MD5}
   * @return this assertion
   * @throws AssertionError when the session authenticated with another mechanism or not at all
   */
  public ReceivedMessageAssert wasAuthenticatedWith(AuthMechanism mechanism) {
    isNotNull();
    if (!actual.authMechanism().equals(Optional.of(mechanism))) {
      throw shouldHave(
          "been sent in a session authenticated with",
          mechanism.keyword(),
          "its session was",
          auth());
    }
    return myself;
  }

  /**
   * Checks that the message's session did not authenticate.
   *
   * @return this assertion
   * @throws AssertionError naming the user and mechanism when it did
   */
  public ReceivedMessageAssert wasNotAuthenticated() {
    isNotNull();
    if (actual.authenticatedUser().isPresent()) {
      throw failure(
          "Expecting message\n  %s\nnot to have been sent in an authenticated session, but its"
              + " session was:\n  %s",
          Evidence.summary(actual), auth());
    }
    return myself;
  }

  private String tls() {
    return actual.tlsProtocol().orElse("") + " " + actual.tlsCipherSuite().orElse("");
  }

  private String tlsOrPlain() {
    return actual.encrypted() ? "encrypted with " + tls() : "not encrypted";
  }

  private String auth() {
    return actual
        .authenticatedUser()
        .map(
            user ->
                "authenticated as "
                    + quote(user)
                    + actual.authMechanism().map(m -> " with " + m.keyword()).orElse(""))
        .orElse("not authenticated");
  }

  /**
   * Checks that the message has an attachment with the given file name, parsing it with Jakarta
   * Mail. Needs Jakarta Mail with an implementation on the test class path, such as {@code
   * org.eclipse.angus:angus-mail}.
   *
   * @param fileName the decoded file name, such as {@code "invoice.pdf"}
   * @return this assertion
   * @throws AssertionError listing the parts when there is no such attachment, or when the message
   *     is not valid MIME
   * @throws IllegalStateException when Jakarta Mail is not on the class path
   */
  public ReceivedMessageAssert hasAttachment(String fileName) {
    isNotNull();
    List<MimeParts.Part> parts = parts();
    if (parts.stream().noneMatch(part -> fileName.equals(part.fileName()))) {
      throw shouldHave("an attachment named", quote(fileName), "its parts were", describe(parts));
    }
    return myself;
  }

  /**
   * Checks that some text part of the message (decoded, in any {@code text/*} part of a multipart
   * message, or the whole body of a single-part one) contains a text, parsing it with Jakarta Mail.
   * Needs Jakarta Mail with an implementation on the test class path.
   *
   * @param text the text to find
   * @return this assertion
   * @throws AssertionError listing the parts when no text part contains it
   * @throws IllegalStateException when Jakarta Mail is not on the class path
   */
  public ReceivedMessageAssert hasPartContaining(String text) {
    isNotNull();
    List<MimeParts.Part> parts = parts();
    if (parts.stream().noneMatch(part -> part.text() != null && part.text().contains(text))) {
      throw shouldHave("a part containing", quote(text), "its parts were", describe(parts));
    }
    return myself;
  }

  private List<MimeParts.Part> parts() {
    if (!MimeSupport.available()) {
      throw new IllegalStateException(
          "hasAttachment and hasPartContaining read MIME parts with Jakarta Mail, which is not on"
              + " the class path: add org.eclipse.angus:angus-mail (test scope)");
    }
    try {
      return MimeParts.of(actual);
    } catch (MimeParts.NotMime e) {
      throw failure(
          "Expecting message\n"
              + "  %s\n"
              + "to be a MIME message, but Jakarta Mail could not read it:\n"
              + "  %s",
          Evidence.summary(actual), e.getMessage());
    }
  }

  private static String describe(List<MimeParts.Part> parts) {
    StringBuilder out = new StringBuilder();
    for (MimeParts.Part part : parts) {
      out.append(out.length() == 0 ? "" : "\n  ").append(part);
    }
    return out.length() == 0 ? "none" : out.toString();
  }

  // ---- messages ----

  private AssertionError shouldHave(
      String what, String expected, String actualPhrase, String actualValue) {
    return failure(
        "Expecting message\n  %s\nto have %s:\n  %s\nbut %s:\n  %s",
        Evidence.summary(actual), what, expected, actualPhrase, actualValue);
  }

  private AssertionError answerFailure(String expectation) {
    Optional<Reply> reply = actual.reply();
    if (reply.isEmpty()) {
      return failure(
          "Expecting message\n  %s\n%s, but the double never answered the end of its data (a rule"
              + " disconnected, reset or stalled the session)",
          Evidence.summary(actual), expectation);
    }
    StringBuilder explained = new StringBuilder();
    Evidence.explain(reply.get()).forEach(line -> explained.append('\n').append(line));
    return failure(
        "Expecting message\n  %s\n%s, but the double answered:\n  %s%s",
        Evidence.summary(actual), expectation, Evidence.oneLine(reply.get()), explained);
  }

  private String headerNames() {
    return actual.headers().keySet().toString();
  }

  private static String body(String raw) {
    String text = raw.replace("\r\n", "\n");
    String shown =
        text.length() <= BODY_SHOWN
            ? text
            : text.substring(0, BODY_SHOWN)
                + "... ("
                + (text.length() - BODY_SHOWN)
                + " more characters)";
    return quote(shown).replace("\n", "\n  ");
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }
}
