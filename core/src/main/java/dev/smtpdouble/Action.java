package dev.smtpdouble;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Rule} does when it acts: answer, wait, or do something to the socket.
 *
 * <p>Actions are immutable values. Scripts build them from text ({@code reply 421 "4.3.2 Try
 * again later"}, {@code delay 2s}, {@code disconnect}, {@code reset}, {@code stall}, {@code send
 * "..."}); the Java API builds the same values through {@link RuleBuilder}. Each action's {@code
 * toString()} is its script text.
 *
 * @since 0.1
 */
public sealed interface Action
    permits Action.Respond,
        Action.Delay,
        Action.Disconnect,
        Action.Reset,
        Action.Stall,
        Action.Send,
        Action.TlsFail {

  /**
   * Answers with a reply of the given code; with no texts the reply takes the code's standard text
   * from {@link ReplyCode}. With {@code then}, the first reply answers the DATA (or a non-last BDAT)
   * command and {@code then} answers the end of the message.
   *
   * <pre>{@code
   * reply 354 "Go ahead" then 554 "5.7.1 Message rejected as spam" after DATA
   * }</pre>
   *
   * @param code the three-digit reply code, 200 to 599
   * @param texts the lines of the reply, one per line of a multi-line reply; empty for the standard
   *     text
   * @param then the reply to the end of the message, for DATA and BDAT rules only
   */
  record Respond(int code, List<String> texts, Optional<Respond> then) implements Action {
    /**
     * Checks the code and texts and copies the list.
     *
     * @param code the three-digit reply code, 200 to 599
     * @param texts the lines of the reply
     * @param then the reply to the end of the message
     * @throws IllegalArgumentException when the code is not 200 to 599, a text holds a CR or LF, or
     *     {@code then} has a {@code then} of its own
     */
    public Respond {
      if (code < 200 || code > 599) {
        throw new IllegalArgumentException(
            "a reply code must be three digits from 200 to 599, but was " + code);
      }
      texts = List.copyOf(texts);
      for (String text : texts) {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
          throw new IllegalArgumentException(
              "a reply text cannot hold CR or LF (give several texts for a multi-line reply, or"
                  + " use send for raw bytes): "
                  + text);
        }
      }
      Objects.requireNonNull(then, "then");
      if (then.isPresent() && then.get().then().isPresent()) {
        throw new IllegalArgumentException("a reply has at most one 'then'");
      }
    }

    /**
     * A reply without a {@code then} part.
     *
     * @param code the reply code
     * @param texts the lines of the reply; none for the standard text
     * @return the action
     */
    public static Respond of(int code, String... texts) {
      return new Respond(code, List.of(texts), Optional.empty());
    }

    /**
     * This reply followed by a reply to the end of the message (DATA and BDAT only).
     *
     * @param code the code answering the end of the message
     * @param texts its lines; none for the standard text
     * @return a new action
     */
    public Respond then(int code, String... texts) {
      return new Respond(this.code, texts(), Optional.of(Respond.of(code, texts)));
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("reply ");
      appendReply(out, code, texts);
      then.ifPresent(
          next -> {
            out.append(" then ");
            appendReply(out, next.code(), next.texts());
          });
      return out.toString();
    }

    private static void appendReply(StringBuilder out, int code, List<String> texts) {
      out.append(code);
      for (String text : texts) {
        out.append(' ').append(Quoting.quote(text));
      }
    }
  }

  /**
   * Waits before going on with the next action (or, alone in a {@code to} rule, before the normal
   * reply). The session's thread sleeps; other sessions are not slowed.
   *
   * <pre>{@code
   * delay 500ms, reply 250 to MAIL
   * }</pre>
   *
   * @param duration how long to wait; whole milliseconds, not negative
   */
  record Delay(Duration duration) implements Action {
    /**
     * Checks the duration.
     *
     * @param duration how long to wait
     * @throws IllegalArgumentException when negative, not a whole number of milliseconds, or more
     *     than {@link Long#MAX_VALUE} milliseconds
     */
    public Delay {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative()) {
        throw new IllegalArgumentException("a delay cannot be negative: " + duration);
      }
      if (duration.compareTo(Duration.ofMillis(Long.MAX_VALUE)) > 0) {
        throw new IllegalArgumentException(
            "a delay is at most " + Long.MAX_VALUE + " milliseconds: " + duration);
      }
      if (duration.getNano() % 1_000_000 != 0) {
        throw new IllegalArgumentException(
            "a delay is whole milliseconds (the script writes ms, s or m): " + duration);
      }
    }

    @Override
    public String toString() {
      long millis = duration.toMillis();
      if (millis != 0 && millis % 60_000 == 0) {
        return "delay " + millis / 60_000 + "m";
      }
      if (millis != 0 && millis % 1_000 == 0) {
        return "delay " + millis / 1_000 + "s";
      }
      return "delay " + millis + "ms";
    }
  }

  /** Closes the connection in an orderly way (TCP FIN) without answering. */
  record Disconnect() implements Action {
    @Override
    public String toString() {
      return "disconnect";
    }
  }

  /** Aborts the connection (SO_LINGER 0, TCP RST): the client sees "connection reset". */
  record Reset() implements Action {
    @Override
    public String toString() {
      return "reset";
    }
  }

  /**
   * Never answers: the socket stays open, its input is read and ignored, until the client gives up
   * or the double closes.
   */
  record Stall() implements Action {
    @Override
    public String toString() {
      return "stall";
    }
  }

  /**
   * Fails the TLS handshake: the double reads the client's hello and answers with a fatal {@code
   * handshake_failure} alert, then closes. With STARTTLS the 220 reply is sent first (the rule's
   * own reply, if it has one); with implicit TLS ({@code tls-fail to CONNECT}) nothing else is
   * sent.
   *
   * <pre>{@code
   * tls-fail to STARTTLS
   * }</pre>
   */
  record TlsFail() implements Action {
    @Override
    public String toString() {
      return "tls-fail";
    }
  }

  /**
   * Writes raw bytes instead of a reply: for malformed, truncated or unsolicited replies. The script
   * writes them as a quoted text with the escapes {@code \r \n \t \\ \" \xHH}; other characters are
   * sent as UTF-8.
   *
   * <pre>{@code
   * send "250 ok\r\n250 surprise\r\n" to NOOP
   * }</pre>
   *
   * @param bytes the bytes to write, exactly
   */
  record Send(byte[] bytes) implements Action {
    /**
     * Copies the bytes.
     *
     * @param bytes the bytes to write
     */
    public Send {
      bytes = bytes.clone();
    }

    /**
     * Raw bytes given as text, sent as UTF-8; Java escapes ({@code "\r\n"}) are the control bytes.
     *
     * @param text the text to send
     * @return the action
     */
    public static Send text(String text) {
      return new Send(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A copy of the bytes to write.
     *
     * @return the bytes
     */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Send send && Arrays.equals(bytes, send.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "send " + Quoting.quoteBytes(bytes);
    }
  }
}
