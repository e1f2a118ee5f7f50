package dev.smtpdouble.examples.catalogue;

/**
 * One SMTP client behind the smallest interface the fault catalogue needs: configure it for a
 * server and settings, send one message, report the outcome by returning or throwing.
 */
interface MailClient {

  /**
   * The client's name and version, as the table shows it.
   *
   * @return such as {@code "Jakarta Mail (Angus Mail 2.0.4)"}
   */
  String name();

  /**
   * How the adapter drives the client, for the table's list of clients.
   *
   * @return one sentence of Markdown
   */
  String wiring();

  /**
   * Builds the client for one server. Slow set-up (a Spring context, a Vert.x instance) belongs
   * here, so that only {@link Configured#send} is timed.
   *
   * @param host the server's host
   * @param port the server's port
   * @param settings timeouts, TLS and login
   * @return the client, ready to send
   * @throws Exception when the client cannot be built
   */
  Configured configure(String host, int port, ClientSettings settings) throws Exception;

  /** A client configured for one server. */
  interface Configured {

    /**
     * Sends one message and returns when the client says it was sent; throws what the client
     * throws (for an asynchronous client: what its result failed with).
     *
     * @param mail the message
     * @throws Exception when the client reports a failure
     */
    void send(Mail mail) throws Exception;

    /**
     * Releases the client (pools, threads, contexts).
     *
     * @throws Exception when the client fails to close
     */
    default void close() throws Exception {}
  }
}
