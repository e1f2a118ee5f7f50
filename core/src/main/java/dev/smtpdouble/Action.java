package dev.smtpdouble;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

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
        Action.TlsFail,
        Action.Trickle {

  /**
   * Which kind of action this is: a value to {@code switch} over, so that code carrying out
   * actions is checked by the compiler to handle every kind.
   *
   * @return the kind
   */
  Kind kind();

  /**
   * The kinds of action, each with its word in the script language and the shape of its argument.
   * A kind whose argument is none, a duration or a number is built from its word and that number
   * by {@link #of(long)}, so the script reader knows it without further code.
   *
   * @since 0.1
   */
  enum Kind {
    /** {@code reply CODE TEXT... [then CODE TEXT...]}: a {@link Respond}. */
    REPLY("reply", Argument.REPLY, null),
    /** {@code delay DURATION}: a {@link Delay}. */
    DELAY("delay", Argument.DURATION, millis -> new Delay(Duration.ofMillis(millis))),
    /** {@code disconnect}: a {@link Disconnect}. */
    DISCONNECT("disconnect", Argument.NONE, none -> new Disconnect()),
    /** {@code reset}: a {@link Reset}. */
    RESET("reset", Argument.NONE, none -> new Reset()),
    /** {@code stall}: a {@link Stall}. */
    STALL("stall", Argument.NONE, none -> new Stall()),
    /** {@code send "BYTES"}: a {@link Send}. */
    SEND("send", Argument.BYTES, null),
    /** {@code tls-fail}: a {@link TlsFail}. */
    TLS_FAIL("tls-fail", Argument.NONE, none -> new TlsFail()),
    /** {@code trickle BYTES-PER-SECOND}: a {@link Trickle}. */
    TRICKLE("trickle", Argument.NUMBER, Trickle::new);

    /** The shape of the argument that follows an action's word in a script. */
    public enum Argument {
      /** No argument. */
      NONE,
      /** A duration such as {@code 500ms}, {@code 2s} or {@code 1m}, in milliseconds. */
      DURATION,
      /** A whole number of at least 1. */
      NUMBER,
      /** A quoted text of bytes. */
      BYTES,
      /** A reply: a code, quoted texts and maybe {@code then} and another. */
      REPLY
    }

    private final String word;
    private final Argument argument;
    private final LongFunction<Action> factory;

    Kind(String word, Argument argument, LongFunction<Action> factory) {
      this.word = word;
      this.argument = argument;
      this.factory = factory;
    }

    /**
     * The action's word in the script language, such as {@code delay}.
     *
     * @return the word, lower case
     */
    public String word() {
      return word;
    }

    /**
     * The shape of the argument that follows the word.
     *
     * @return the shape
     */
    public Argument argument() {
      return argument;
    }

    /**
     * The action of this kind with the given argument: ignored for {@link Argument#NONE},
     * milliseconds for {@link Argument#DURATION}, the number for {@link Argument#NUMBER}.
     *
     * @param value the argument
     * @return the action
     * @throws IllegalArgumentException when the value is out of range, or the kind takes a reply
     *     or bytes
     */
    public Action of(long value) {
      if (factory == null) {
        throw new IllegalArgumentException(word + " takes " + argument.name().toLowerCase(Locale.ROOT) + ", not a number");
      }
      return factory.apply(value);
    }
  }

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
    @Override
    public Kind kind() {
      return Kind.REPLY;
    }

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
    @Override
    public Kind kind() {
      return Kind.DELAY;
    }

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

  /**
   * Sends the reply (or, {@code to CONNECT}, the greeting) slowly, as a congested server does:
   * what the double sends until it next waits for the client leaves at this many bytes a second,
   * in small pieces, so a client's read timeout can see the gaps. Alone it slows the normal reply;
   * with a {@code reply} it slows that reply.
   *
   * <pre>{@code
   * trickle 10 to CONNECT
   * }</pre>
   *
   * @param bytesPerSecond how fast, 1 to 1,000,000,000
   */
  record Trickle(long bytesPerSecond) implements Action {
    /**
     * Checks the rate.
     *
     * @param bytesPerSecond how fast
     * @throws IllegalArgumentException when not from 1 to 1,000,000,000
     */
    public Trickle {
      if (bytesPerSecond < 1 || bytesPerSecond > 1_000_000_000) {
        throw new IllegalArgumentException(
            "a trickle is 1 to 1000000000 bytes a second, but was " + bytesPerSecond);
      }
    }

    @Override
    public Kind kind() {
      return Kind.TRICKLE;
    }

    @Override
    public String toString() {
      return "trickle " + bytesPerSecond;
    }
  }

  /** Closes the connection in an orderly way (TCP FIN) without answering. */
  record Disconnect() implements Action {
    @Override
    public Kind kind() {
      return Kind.DISCONNECT;
    }

    @Override
    public String toString() {
      return "disconnect";
    }
  }

  /** Aborts the connection (SO_LINGER 0, TCP RST): the client sees "connection reset". */
  record Reset() implements Action {
    @Override
    public Kind kind() {
      return Kind.RESET;
    }

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
    public Kind kind() {
      return Kind.STALL;
    }

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
    public Kind kind() {
      return Kind.TLS_FAIL;
    }

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
    @Override
    public Kind kind() {
      return Kind.SEND;
    }

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
