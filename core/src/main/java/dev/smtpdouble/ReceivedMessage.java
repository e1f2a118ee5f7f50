package dev.smtpdouble;

import dev.smtpdouble.internal.mime.HeaderField;
import dev.smtpdouble.internal.mime.MessageText;
import dev.smtpdouble.internal.protocol.CapturedMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A message a client sent: its envelope, its exact data, and how the double answered. Every body
 * the client sent after a 354 (or in BDAT chunks ending with LAST) is recorded, including those the
 * double rejected; {@link #accepted()} tells them apart.
 *
 * <p>Immutable and safe to share between threads. When {@link SmtpDouble#takeMessage} or {@link
 * SmtpDouble#messages()} returns one, it is complete and its transcript lines exist.
 *
 * <pre>{@code
 * ReceivedMessage m = smtp.takeMessage(Duration.ofSeconds(5));
 * assertEquals("shop@example.test", m.from());
 * assertEquals(List.of("alice@example.test"), m.recipients());
 * assertEquals("Welcome", m.subject());
 * assertTrue(m.text().contains("Hello Alice"));
 * }</pre>
 *
 * @since 0.1
 */
public final class ReceivedMessage {
  private final CapturedMessage captured;
  private List<HeaderField> headerFields;

  ReceivedMessage(CapturedMessage captured) {
    this.captured = captured;
  }

  /**
   * The envelope sender from MAIL FROM, without angle brackets.
   *
   * @return the address; empty for the null sender {@code <>}
   */
  public String from() {
    return captured.from();
  }

  /**
   * The envelope recipients the double accepted, in the order of their RCPT commands, without
   * angle brackets. Refused recipients are not here.
   *
   * @return the recipients
   */
  public List<String> recipients() {
    return captured.recipients();
  }

  /**
   * The exact message data: for DATA, the bytes after dot-unstuffing with their CRLF line ends,
   * including the CRLF that ends the last line before the terminating dot; for BDAT, the chunks
   * verbatim. A copy: change it freely. It is one array of the message's size, made when asked
   * (the double itself holds a large message in blocks below 512 KiB): for large messages {@link
   * #dataStream()} reads the same bytes without that copy.
   *
   * @return the data
   */
  public byte[] data() {
    return captured.data().copy();
  }

  /**
   * The data as a stream, without copying it.
   *
   * @return a new stream over the data
   */
  public InputStream dataStream() {
    return captured.data().stream();
  }

  /**
   * The size of the data in octets.
   *
   * @return the size
   */
  public int size() {
    return (int) Math.min(Integer.MAX_VALUE, captured.data().length());
  }

  /**
   * The whole data decoded as UTF-8 (malformed bytes replaced): headers, blank line and body, as
   * sent.
   *
   * @return the raw text
   */
  public String rawText() {
    return new String(captured.data().bytes(), StandardCharsets.UTF_8);
  }

  /**
   * The body as readable text: the part after the header section, with a quoted-printable or
   * base64 Content-Transfer-Encoding undone and decoded with the charset of its Content-Type
   * (UTF-8 when none). A multipart body is returned as sent; use a MIME library (or the
   * assertions module) for its parts.
   *
   * @return the body text
   */
  public String text() {
    return MessageText.bodyText(captured.data().bytes(), fields());
  }

  /**
   * The header fields in the order sent, unfolded and with RFC 2047 encoded words decoded. Names
   * are matched without regard to case; a name that appears several times has several values.
   *
   * @return the headers, name to values
   */
  public Map<String, List<String>> headers() {
    Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Map<String, List<String>> ordered = new LinkedHashMap<>();
    for (HeaderField field : fields()) {
      String key = field.name().toLowerCase(Locale.ROOT);
      List<String> values = ordered.get(key);
      if (values == null) {
        values = new ArrayList<>();
        ordered.put(key, values);
        map.put(field.name(), values);
      }
      values.add(field.value());
    }
    map.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(map);
  }

  /**
   * The first value of a header, unfolded and decoded.
   *
   * @param name the header name, any case
   * @return the value, or empty when the message has no such header
   */
  public Optional<String> header(String name) {
    for (HeaderField field : fields()) {
      if (field.name().equalsIgnoreCase(name)) {
        return Optional.of(field.value());
      }
    }
    return Optional.empty();
  }

  /**
   * Every value of a header, in order.
   *
   * @param name the header name, any case
   * @return the values; empty when there are none
   */
  public List<String> headers(String name) {
    List<String> values = new ArrayList<>();
    for (HeaderField field : fields()) {
      if (field.name().equalsIgnoreCase(name)) {
        values.add(field.value());
      }
    }
    return List.copyOf(values);
  }

  /**
   * The decoded Subject header.
   *
   * @return the subject, or an empty string when the message has none
   */
  public String subject() {
    return header("Subject").orElse("");
  }

  /**
   * What the double answered at the end of the data: 250 normally, 552 over the size limit, or
   * the scripted reply.
   *
   * @return the reply, or empty when a rule disconnected, reset or stalled instead
   */
  public Optional<Reply> reply() {
    return Optional.ofNullable(captured.reply());
  }

  /**
   * Whether the double accepted the message: its end-of-data reply was 2xx.
   *
   * @return true when accepted
   */
  public boolean accepted() {
    Reply reply = captured.reply();
    return reply != null && reply.code() < 300;
  }

  /**
   * The number of the session that sent it, as in {@link Transcript.Session#number()}.
   *
   * @return the session number
   */
  public int sessionNumber() {
    return captured.sessionNumber();
  }

  /**
   * The 1-based number of the mail transaction within its session: 2 for the second message sent
   * over one connection.
   *
   * @return the transaction number
   */
  public int transactionNumber() {
    return captured.transactionNumber();
  }

  /**
   * The name the client gave in EHLO or HELO.
   *
   * @return the name, or empty when it sent neither
   */
  public String heloName() {
    return captured.heloName();
  }

  /**
   * The parameters of MAIL FROM, keyword upper case to value ({@code ""} for a keyword without
   * value), for instance {@code SIZE=1024}, {@code BODY=8BITMIME}, {@code SMTPUTF8}, {@code
   * RET=HDRS}, {@code ENVID=...}.
   *
   * @return the parameters
   */
  public Map<String, String> mailParameters() {
    return captured.mailParameters();
  }

  /**
   * The parameters of an accepted recipient's RCPT TO, such as {@code NOTIFY=SUCCESS,FAILURE}
   * and {@code ORCPT=rfc822;...}.
   *
   * @param recipient the recipient as in {@link #recipients()}
   * @return its parameters; empty when it had none or is not a recipient
   */
  public Map<String, String> recipientParameters(String recipient) {
    List<String> recipients = captured.recipients();
    for (int i = 0; i < recipients.size(); i++) {
      if (recipients.get(i).equals(recipient)) {
        return captured.recipientParameters().get(i);
      }
    }
    return Map.of();
  }

  /**
   * The BODY parameter of MAIL FROM ({@code 7BIT}, {@code 8BITMIME} or {@code BINARYMIME}).
   *
   * @return the body type, or empty when not declared
   */
  public Optional<String> bodyType() {
    return Optional.ofNullable(captured.mailParameters().get("BODY"));
  }

  /**
   * Whether MAIL FROM carried SMTPUTF8.
   *
   * @return true when the client declared SMTPUTF8
   */
  public boolean smtpUtf8() {
    return captured.mailParameters().containsKey("SMTPUTF8");
  }

  /**
   * Whether the data came in BDAT chunks rather than after DATA.
   *
   * @return true for BDAT
   */
  public boolean chunked() {
    return captured.chunked();
  }

  /**
   * Whether the data was cut short. A message over the size limit is answered 552 but still kept
   * whole up to the size limit plus the larger of the limit and 16 MiB (so up to 100 MiB with the
   * default 50 MiB limit); beyond that only the beginning is kept.
   *
   * @return true when {@link #data()} is only the beginning of what was sent
   */
  public boolean truncated() {
    return captured.truncated();
  }

  /**
   * The user the session authenticated as with AUTH.
   *
   * @return the authentication identity, or empty when the session did not authenticate
   */
  public Optional<String> authenticatedUser() {
    return Optional.ofNullable(captured.authenticatedUser());
  }

  /**
   * The SASL mechanism the session authenticated with.
   *
   * @return the mechanism, or empty when the session did not authenticate
   */
  public Optional<AuthMechanism> authMechanism() {
    return AuthMechanism.fromKeyword(captured.authMechanism());
  }

  /**
   * Whether the message came over TLS (STARTTLS or implicit).
   *
   * @return true when encrypted
   */
  public boolean encrypted() {
    return !captured.tlsProtocol().isEmpty();
  }

  /**
   * The TLS protocol of the session, such as {@code TLSv1.3}.
   *
   * @return the protocol, or empty over a plain connection
   */
  public Optional<String> tlsProtocol() {
    return captured.tlsProtocol().isEmpty() ? Optional.empty() : Optional.of(captured.tlsProtocol());
  }

  /**
   * The TLS cipher suite of the session, such as {@code TLS_AES_256_GCM_SHA384}.
   *
   * @return the cipher suite, or empty over a plain connection
   */
  public Optional<String> tlsCipherSuite() {
    return captured.tlsCipherSuite().isEmpty()
        ? Optional.empty()
        : Optional.of(captured.tlsCipherSuite());
  }

  /**
   * When the end of the data arrived.
   *
   * @return the time
   */
  public Instant receivedAt() {
    return Instant.ofEpochMilli(captured.receivedAtMillis());
  }

  /**
   * A one-line summary: sender, recipients, subject, size and reply.
   *
   * @return the summary
   */
  @Override
  public String toString() {
    return "ReceivedMessage{from=<"
        + from()
        + ">, recipients="
        + recipients()
        + ", subject=\""
        + subject()
        + "\", size="
        + size()
        + ", reply="
        + (captured.reply() == null ? "none" : captured.reply().toString().replace('\n', '|'))
        + ", session="
        + sessionNumber()
        + ", transaction="
        + transactionNumber()
        + "}";
  }

  private synchronized List<HeaderField> fields() {
    if (headerFields == null) {
      // only the header section of a large message is joined, never the whole message
      headerFields =
          MessageText.headers(
              captured.data().headerSection(MessageText::bodyOffset, Integer.MAX_VALUE));
    }
    return headerFields;
  }
}
