package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Reply;
import dev.smtpdouble.internal.capture.MessageData;
import java.util.List;
import java.util.Map;

/**
 * Everything a session knows about one message when its data is complete; the public {@code
 * ReceivedMessage} is a view of it. Fields are shared, never copied: the session hands over
 * ownership.
 *
 * @param from the envelope sender without brackets, empty for {@code <>}
 * @param recipients the accepted recipients in order
 * @param recipientParameters the RCPT parameters of each accepted recipient, same order
 * @param mailParameters the MAIL parameters, keyword upper case
 * @param data the exact data
 * @param reply the end-of-data reply, or null when a fault answered instead
 * @param sessionNumber the session's number
 * @param transactionNumber the transaction's number within the session
 * @param heloName the EHLO/HELO argument, empty when none
 * @param chunked true for BDAT
 * @param truncated true when cut at the size limit
 * @param receivedAtMillis when the data ended, epoch milliseconds
 * @param authenticatedUser the user the session authenticated as, or null
 * @param authMechanism the mechanism it authenticated with, empty when none
 * @param tlsProtocol the TLS protocol of the session, empty when plain
 * @param tlsCipherSuite the TLS cipher suite, empty when plain
 */
public record CapturedMessage(
    String from,
    List<String> recipients,
    List<Map<String, String>> recipientParameters,
    Map<String, String> mailParameters,
    MessageData data,
    Reply reply,
    int sessionNumber,
    int transactionNumber,
    String heloName,
    boolean chunked,
    boolean truncated,
    long receivedAtMillis,
    String authenticatedUser,
    String authMechanism,
    String tlsProtocol,
    String tlsCipherSuite) {}
