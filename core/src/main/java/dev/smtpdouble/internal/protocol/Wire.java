package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Action;
import java.io.IOException;

/**
 * The connection a session speaks over, as the session sees it: bytes in, bytes out, the TLS
 * handshake, closing, and the actions of a rule. The server's connection implements it over a
 * socket; a unit test implements it in memory.
 */
public interface Wire {
  /**
   * The client's IP address, which CONNECT rules match.
   *
   * @return the address as text, such as {@code 127.0.0.1}
   */
  String clientIp();

  /**
   * What the client sends, framed into lines, message data and chunks; a new input after TLS
   * starts.
   *
   * @return the input
   */
  SmtpInput input();

  /**
   * Queues bytes for the client; they leave at the next {@link #flush()} (at the latest before
   * the session waits for input).
   *
   * @param bytes the bytes
   * @param offset where they start
   * @param length how many
   * @throws IOException when the connection fails
   */
  void write(byte[] bytes, int offset, int length) throws IOException;

  /**
   * Sends what is queued.
   *
   * @throws IOException when the connection fails
   */
  void flush() throws IOException;

  /**
   * Turns the connection into TLS (after a 220 to STARTTLS, or at once for implicit TLS), or,
   * when a rule says so, fails the handshake with a fatal alert and ends the session.
   *
   * @param fail whether to fail the handshake on purpose
   * @return the protocol and cipher suite agreed
   * @throws SessionEnd when the handshake failed
   * @throws IOException when the connection fails
   */
  TlsState startTls(boolean fail) throws IOException;

  /**
   * Carries out one action of a rule: a reply or raw bytes through the session, any other fault
   * on the connection.
   *
   * @param action the action
   * @param session the session's side of it
   * @return what was sent, or null when the action sent nothing
   * @throws SessionEnd when the action ends the session (disconnect, reset, stall)
   * @throws IOException when the connection fails
   */
  Sent carryOut(Action action, Speaker session) throws IOException;

  /**
   * Closes: what is queued goes out, then the connection ends. After QUIT in order (a FIN, then
   * close); {@code atOnce} (after a 421 or a scripted disconnect) closed right away and nothing
   * more read, as Postfix ends a session, so that what the client still writes meets a closed
   * socket.
   *
   * @param atOnce whether to close at once rather than in order
   * @throws IOException when the connection fails
   */
  void close(boolean atOnce) throws IOException;

  /**
   * The protocol and cipher suite of a TLS connection.
   *
   * @param protocol such as {@code TLSv1.3}
   * @param cipherSuite such as {@code TLS_AES_128_GCM_SHA256}
   */
  record TlsState(String protocol, String cipherSuite) {}

  /** The session's side of carrying out an action: what only the session knows how to do. */
  interface Speaker {
    /**
     * Sends a scripted reply, logged.
     *
     * @param reply the reply
     * @return what was sent
     * @throws IOException when the connection fails
     */
    Sent reply(Action.Respond reply) throws IOException;

    /**
     * Sends raw bytes, logged line by line.
     *
     * @param bytes the bytes
     * @return what was sent: a reply when the bytes are one
     * @throws IOException when the connection fails
     */
    Sent sendRaw(byte[] bytes) throws IOException;

    /**
     * Notes an event in the transcript.
     *
     * @param text what happened
     */
    void event(String text);

    /**
     * Makes the message whose end-of-data reply a fault replaces visible to the test, with no
     * reply; the wire calls it before it carries out the fault.
     */
    void publishPending();

    /**
     * Reads and logs (secrets masked) what the client sends to a stalled session, until it
     * closes.
     *
     * @return whether the client sent QUIT
     * @throws IOException when the connection failed
     */
    boolean hearOut() throws IOException;
  }
}
