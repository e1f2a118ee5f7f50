package dev.smtpdouble;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One enhanced status code ({@code class.subject.detail}, RFC 3463), with what it means, when a
 * client sees it and what to do about it.
 *
 * <p>Servers that announce ENHANCEDSTATUSCODES (RFC 2034) put such a code at the start of the text
 * of their 2xx, 4xx and 5xx replies, as in {@code 550 5.7.1 Message rejected}. The class (2, 4 or
 * 5) repeats the reply's first digit; the subject and detail say what the status is about.
 *
 * <p>The catalogue holds every code of RFC 3463 §3 and the later registrations it can attribute to
 * their RFC (RFC 3886, 4468, 4954, 5248, 6531, 6710, 7293, 7372, 7504, 7505, 8617, 8689). A subject
 * and detail exist in classes 4 and 5 when they report a failure, and in class 2 when they can
 * report a success (as 2.1.5 "Destination address valid" or 2.7.0 after AUTH). There is one
 * instance per code; get it with {@link #of(String)}, {@link #find(String)} or {@link
 * #fromReplyText(String)}.
 *
 * <pre>{@code
 * EnhancedStatusCode.of("5.7.1").name();                      // "Delivery not authorized, ..."
 * EnhancedStatusCode.fromReplyText("4.2.2 Mailbox full");      // Optional[4.2.2 ...]
 * }</pre>
 *
 * @since 0.1
 */
public final class EnhancedStatusCode {

  private static final Pattern FORM = Pattern.compile("([0-9])\\.([0-9]{1,3})\\.([0-9]{1,3})");
  private static final Pattern LEADING =
      Pattern.compile("^([0-9]\\.[0-9]{1,3}\\.[0-9]{1,3})(?:[ \\t]|$)");

  private static final String[] SUBJECTS = {
    "Other or Undefined Status",
    "Addressing Status",
    "Mailbox Status",
    "Mail System Status",
    "Network and Routing Status",
    "Mail Delivery Protocol Status",
    "Message Content or Media Status",
    "Security or Policy Status",
  };

  private static final Map<String, Detail> DETAILS = details();
  private static final Map<String, EnhancedStatusCode> BY_CODE = new HashMap<>();
  private static final List<EnhancedStatusCode> ALL;

  static {
    List<EnhancedStatusCode> all = new ArrayList<>();
    for (Detail d : DETAILS.values()) {
      for (char c : d.classes.toCharArray()) {
        EnhancedStatusCode code = new EnhancedStatusCode(c - '0', d);
        BY_CODE.put(code.code(), code);
        all.add(code);
      }
    }
    all.sort(
        Comparator.comparingInt(EnhancedStatusCode::codeClass)
            .thenComparingInt(EnhancedStatusCode::subject)
            .thenComparingInt(EnhancedStatusCode::detail));
    ALL = Collections.unmodifiableList(all);
  }

  /** What one subject.detail means, shared by the classes it exists in. */
  private static final class Detail {
    final int subject;
    final int detail;
    final String classes;
    final int usualClass;
    final String name;
    final String gist;
    final String meaning;
    final String whenSeen;
    final String whatToDo;
    final String rfc;
    /** Advice for one class that replaces {@link #whatToDo} there, by class digit. */
    final Map<Integer, String> adviceByClass = new HashMap<>();

    Detail(
        int subject,
        int detail,
        String classes,
        int usualClass,
        String name,
        String gist,
        String meaning,
        String whenSeen,
        String whatToDo,
        String rfc) {
      this.subject = subject;
      this.detail = detail;
      this.classes = classes;
      this.usualClass = usualClass;
      this.name = name;
      this.gist = gist;
      this.meaning = meaning;
      this.whenSeen = whenSeen;
      this.whatToDo = whatToDo;
      this.rfc = rfc;
    }

    String key() {
      return subject + "." + detail;
    }
  }

  /** What to do, first, about a 2.x.x code. */
  private static final String SUCCEEDED = "Nothing: the request succeeded.";

  /** What to do, first, about a 4.x.x code. */
  private static final String TRANSIENT =
      "Transient: keep the message and try again later, at growing intervals, as a mail queue"
          + " does.";

  /** What to do, first, about a 5.x.x code. */
  private static final String PERMANENT =
      "Permanent: do not send the same request again unchanged; it will be refused again.";

  /** No class that RFC 3463 prefers for the detail. */
  private static final int ANY = 0;

  /**
   * The whole catalogue, one {@code entry} per subject.detail: the key, the classes it exists in (a
   * string of digits), the class RFC 3463 intends it for when it names one ({@code ANY} when not),
   * the name, the short meaning used in {@link #summary()}, meaning, when seen, what to do, and the
   * RFC.
   */
  private static Map<String, Detail> details() {
    Map<String, Detail> t = new TreeMap<>();

    // X.0: Other or Undefined Status (RFC 3463 §3.1)
    entry(
        t,
        "0.0",
        "245",
        ANY,
        "Other undefined status",
        "only the class is known",
        "The server gives no subject or detail: the class digit, the basic reply code and the"
            + " text are all there is.",
        "With many replies of servers that add an enhanced code to everything: 250 2.0.0 after"
            + " DATA or RSET, 221 2.0.0 after QUIT, 451 4.0.0 or 554 5.0.0 for generic failures.",
        "Read the basic reply code and the text. For a failure the class still says whether to"
            + " retry later (4) or to change the request (5).",
        "RFC 3463 §3.1");

    // X.1: Addressing Status (RFC 3463 §3.2)
    entry(
        t,
        "1.0",
        "245",
        ANY,
        "Other address status",
        "the status concerns an address, with no more detail",
        "Something about an address, the sender's or a recipient's, caused this status. Many"
            + " servers send 2.1.0 to say that MAIL FROM was accepted.",
        "250 2.1.0 after MAIL FROM; failures after MAIL FROM or RCPT TO.",
        "For a failure, check the sender and recipient addresses and read the reply text.",
        "RFC 3463 §3.2");
    entry(
        t,
        "1.1",
        "45",
        5,
        "Bad destination mailbox address",
        "the recipient's mailbox does not exist",
        "The mailbox named by the recipient address does not exist: the part left of the @ is"
            + " unknown at the destination.",
        "550 5.1.1 after RCPT TO, or in a bounce.",
        "Fix the recipient address (a typo in the local part?) or remove it; sending to it"
            + " unchanged will not work.",
        "RFC 3463 §3.2");
    entry(
        t,
        "1.2",
        "45",
        5,
        "Bad destination system address",
        "the recipient's domain does not exist or cannot take mail",
        "The destination system, the part right of the @, does not exist or cannot accept mail.",
        "After RCPT TO, or in a bounce when the domain has no usable MX or address record.",
        "Check the recipient's domain for typos, and that it has MX records.",
        "RFC 3463 §3.2");
    entry(
        t,
        "1.3",
        "45",
        5,
        "Bad destination mailbox address syntax",
        "the recipient address is syntactically invalid",
        "The recipient address is malformed; any part of it may be at fault.",
        "501 or 553 after RCPT TO.",
        "Fix the syntax: local-part@domain in angle brackets, no spaces, quoting where the local"
            + " part needs it.",
        "RFC 3463 §3.2");
    entry(
        t,
        "1.4",
        "45",
        ANY,
        "Destination mailbox address ambiguous",
        "the recipient address matches more than one mailbox",
        "The recipient address matches several mailboxes at the destination, for instance through"
            + " a server that matches names loosely.",
        "After RCPT TO on servers that map names to mailboxes by heuristics; rare.",
        "Use the recipient's exact and complete address.",
        "RFC 3463 §3.2");
    entry(
        t,
        "1.5",
        "2",
        ANY,
        "Destination address valid",
        "the recipient address is valid",
        "The recipient address was accepted as valid.",
        "250 2.1.5 after RCPT TO, and in positive delivery reports.",
        "Nothing to fix: go on with the next recipient or with DATA.",
        "RFC 3463 §3.2");
    entry(
        t,
        "1.6",
        "45",
        5,
        "Destination mailbox has moved, no forwarding address",
        "the recipient's mailbox no longer takes mail and no new address is known",
        "The recipient address was valid once, but mail is no longer accepted for it and no"
            + " forwarding address is known.",
        "551 or 550 after RCPT TO, or in a bounce.",
        "Ask the recipient for a current address, and remove the old one from your lists.",
        "RFC 3463 §3.2");
    entry(
        t,
        "1.7",
        "45",
        ANY,
        "Bad sender's mailbox address syntax",
        "the sender address is syntactically invalid",
        "The sender address given in MAIL FROM is malformed.",
        "501 or 553 after MAIL FROM.",
        "Fix the MAIL FROM address; use the null path <> only for bounces.",
        "RFC 3463 §3.2");
    entry(
        t,
        "1.8",
        "45",
        ANY,
        "Bad sender's system address",
        "the sender's domain does not exist or cannot take mail",
        "The sender's domain does not exist or cannot accept mail, so bounces could not be"
            + " returned to the sender.",
        "After MAIL FROM, from servers that check the sender's domain in DNS; 4.1.8 when the"
            + " lookup failed for the time being.",
        "Send from an address whose domain has MX or address records; strict servers refuse"
            + " made-up sender domains used in tests.",
        "RFC 3463 §3.2");
    entry(
        t,
        "1.9",
        "2",
        ANY,
        "Message relayed to non-compliant mailer",
        "the address was valid, and the message went on to a system that cannot report more",
        "The recipient address was valid, and the message was passed to a system that does not"
            + " support the status protocol in use, so no further status will come.",
        "In message tracking and delivery status reports, not in ordinary SMTP replies.",
        "Nothing to fix; the final delivery simply cannot be confirmed.",
        "RFC 3886");
    entry(
        t,
        "1.10",
        "45",
        ANY,
        "Recipient address has null MX",
        "the recipient's domain declares that it accepts no mail",
        "The recipient's domain publishes a null MX record, which says that it accepts no mail"
            + " at all.",
        "556 5.1.10 from a relay or submission server after RCPT TO, or in a bounce.",
        "Check the recipient's domain for typos.",
        "RFC 7505 §4; RFC 7504");

    // X.2: Mailbox Status (RFC 3463 §3.3)
    entry(
        t,
        "2.0",
        "45",
        ANY,
        "Other or undefined mailbox status",
        "the mailbox exists, but something about it stopped the message",
        "The mailbox exists, but something about it caused this status; no detail is given.",
        "450 4.2.0 (a busy mailbox, greylisting) or 550 5.2.0 after RCPT TO or the final dot.",
        "Read the text; if it persists, reach the recipient another way.",
        "RFC 3463 §3.3");
    entry(
        t,
        "2.1",
        "45",
        ANY,
        "Mailbox disabled, not accepting messages",
        "the mailbox exists but is disabled",
        "The mailbox exists but accepts no messages; it may be disabled for a while (4.2.1) or"
            + " for good (5.2.1).",
        "After RCPT TO, or in a bounce.",
        "Stop sending to the address once the failure is permanent.",
        "RFC 3463 §3.3");
    entry(
        t,
        "2.2",
        "45",
        4,
        "Mailbox full",
        "the recipient's mailbox is over its quota",
        "The recipient's mailbox has used up its quota or capacity; the recipient can make room"
            + " by deleting messages.",
        "452 4.2.2 or 552 5.2.2 after RCPT TO or the final dot, or in a bounce.",
        "The recipient must make room, or you reach them another way; the message itself need"
            + " not change unless it is very large.",
        "RFC 3463 §3.3");
    entry(
        t,
        "2.3",
        "45",
        5,
        "Message length exceeds administrative limit",
        "the message is larger than this mailbox accepts",
        "The message exceeds a size limit set for this mailbox, lower than the server's general"
            + " limit.",
        "552 5.2.3 after the final dot, or after MAIL FROM with a SIZE parameter.",
        "Send a smaller message, for instance with a link instead of a large attachment.",
        "RFC 3463 §3.3");
    entry(
        t,
        "2.4",
        "45",
        ANY,
        "Mailing list expansion problem",
        "the address is a mailing list that could not be expanded",
        "The recipient address is a mailing list, and expanding it into its members failed.",
        "After RCPT TO, or in a bounce from a list server.",
        "Tell the list's owner.",
        "RFC 3463 §3.3");

    // X.3: Mail System Status (RFC 3463 §3.4)
    entry(
        t,
        "3.0",
        "45",
        ANY,
        "Other or undefined mail system status",
        "the receiving mail system has a problem, with no more detail",
        "The destination system normally accepts mail, but something about it caused this"
            + " status.",
        "451 4.3.0 for internal errors; 554 5.3.0 for other failures of the system.",
        "Read the text: the problem is on the receiving side.",
        "RFC 3463 §3.4");
    entry(
        t,
        "3.1",
        "45",
        4,
        "Mail system full",
        "the receiving system has run out of storage",
        "The receiving system's storage is used up. Unlike a full mailbox, the recipient cannot"
            + " fix it by deleting mail.",
        "452 4.3.1 after MAIL FROM, RCPT TO or the final dot.",
        "The receiving side must free space.",
        "RFC 3463 §3.4");
    entry(
        t,
        "3.2",
        "45",
        ANY,
        "System not accepting network messages",
        "the host does not accept mail now, or ever",
        "The receiving host does not accept messages: for now because of a shutdown, overload or"
            + " maintenance (4.3.2), or never (5.3.2, with reply code 521).",
        "421 4.3.2 as the greeting or as any reply; 521 5.3.2 as the greeting of a host that takes"
            + " no mail.",
        "The host does not accept messages; use another one if it never will.",
        "RFC 3463 §3.4; RFC 7504");
    entry(
        t,
        "3.3",
        "45",
        ANY,
        "System not capable of selected features",
        "the destination does not support a feature the message needs",
        "The message asks for features the destination system does not support, for instance an"
            + " ESMTP extension, or 8-bit transport at a gateway.",
        "After MAIL FROM with parameters, or after the final dot.",
        "Send without the feature, for instance without BODY=8BITMIME or SMTPUTF8, or through a"
            + " server that supports it.",
        "RFC 3463 §3.4");
    entry(
        t,
        "3.4",
        "45",
        5,
        "Message too big for system",
        "the message exceeds the server's size limit",
        "The message is larger than the server's limit for one message.",
        "552 5.3.4 after MAIL FROM with a SIZE above the limit the reply to EHLO announced, or"
            + " after the final dot.",
        "Compare the message's size with the SIZE limit in the reply to EHLO, and send a smaller"
            + " message.",
        "RFC 3463 §3.4");
    entry(
        t,
        "3.5",
        "45",
        ANY,
        "System incorrectly configured",
        "the receiving system's configuration does not let it accept the message",
        "The receiving system is configured in a way that does not let it accept this message;"
            + " the fault is on the receiving side.",
        "Any failure reply, often 451 or 554.",
        "Tell the receiving side's administrator.",
        "RFC 3463 §3.4");
    entry(
        t,
        "3.6",
        "2",
        ANY,
        "Requested priority was changed",
        "the message was accepted, but not at the priority asked for",
        "The message was accepted for relay or delivery, but its requested priority (MT-PRIORITY)"
            + " was not honoured; the text starts with the priority used instead.",
        "In a 250 reply of a server that implements MT-PRIORITY.",
        "Nothing to fix unless the priority matters; the text says which one was used.",
        "RFC 6710");

    // X.4: Network and Routing Status (RFC 3463 §3.5)
    entry(
        t,
        "4.0",
        "45",
        ANY,
        "Other or undefined network or routing status",
        "a network or routing problem, with no more detail",
        "Something went wrong with the network or with routing, and no more specific code fits.",
        "Mostly in delay reports and bounces from relays.",
        "Check the destination's DNS and reachability.",
        "RFC 3463 §3.5");
    entry(
        t,
        "4.1",
        "45",
        4,
        "No answer from host",
        "the next host did not answer",
        "A relay's connection attempt to the next host was not answered: refused, or timed out.",
        "In delay reports and bounces from relays.",
        "Check that the destination host is up and reachable on its SMTP port.",
        "RFC 3463 §3.5");
    entry(
        t,
        "4.2",
        "45",
        4,
        "Bad connection",
        "the connection broke before the transaction completed",
        "A connection was made, but the transaction could not be completed because of a time-out"
            + " or a poor connection.",
        "421 4.4.2 when a server times out an idle client; in delay reports.",
        "If a server sent it to your client, the client was idle too long between commands;"
            + " check its timeouts.",
        "RFC 3463 §3.5");
    entry(
        t,
        "4.3",
        "45",
        4,
        "Directory server failure",
        "a directory lookup, usually DNS, failed",
        "The message could not be passed on because a directory server, typically DNS, was not"
            + " available.",
        "451 4.4.3 when the server's DNS checks fail for the time being; in delay reports.",
        "Check the DNS of the domains and hosts involved.",
        "RFC 3463 §3.5");
    entry(
        t,
        "4.4",
        "45",
        ANY,
        "Unable to route",
        "no route to the destination could be found",
        "The mail system could not find the next hop, because the routing information (MX or"
            + " address records) was missing.",
        "In bounces for a domain without MX or address records; after RCPT TO on relays.",
        "Check that the recipient's domain exists and has MX records.",
        "RFC 3463 §3.5");
    entry(
        t,
        "4.5",
        "45",
        4,
        "Mail system congestion",
        "the mail system is congested",
        "The message could not be delivered because the mail system was congested.",
        "421 or 451 4.4.5 under load or rate limiting.",
        "Send more slowly: fewer connections, fewer messages per connection.",
        "RFC 3463 §3.5");
    entry(
        t,
        "4.6",
        "45",
        4,
        "Routing loop detected",
        "the message went round in a loop",
        "The message was passed on too many times, through wrong routing or forwarding rules that"
            + " point at each other.",
        "In bounces; after the final dot when a server counts too many Received header fields.",
        "Look for forwarding rules that lead back to each other; do not copy Received fields into"
            + " new messages.",
        "RFC 3463 §3.5");
    entry(
        t,
        "4.7",
        "45",
        ANY,
        "Delivery time expired",
        "the message could not be delivered in time and was given up",
        "The message was considered too old: it stayed queued too long, or exceeded its time to"
            + " live. The real cause is usually in earlier delay reports.",
        "In a bounce after a relay gave up retrying, often after days.",
        "Find the cause of the delays (earlier 4xx replies or delay reports) and send again.",
        "RFC 3463 §3.5");

    // X.5: Mail Delivery Protocol Status (RFC 3463 §3.6)
    entry(
        t,
        "5.0",
        "45",
        ANY,
        "Other or undefined protocol status",
        "a problem with the SMTP exchange, with no more detail",
        "Something went wrong with the SMTP exchange itself, and no more specific code fits.",
        "Failure replies to any command.",
        "Look at the transcript around the failing command.",
        "RFC 3463 §3.6");
    entry(
        t,
        "5.1",
        "45",
        5,
        "Invalid command",
        "the command was out of sequence or is not supported",
        "A command was sent out of sequence, or the server does not support it.",
        "502 5.5.1 or 503 5.5.1.",
        "Check the order of the commands, and that the server advertised the extension used.",
        "RFC 3463 §3.6");
    entry(
        t,
        "5.2",
        "45",
        5,
        "Syntax error",
        "the command could not be interpreted",
        "A command could not be interpreted: its syntax is wrong or its verb is unknown.",
        "500 5.5.2 or 501 5.5.2, for instance for invalid base64 during AUTH.",
        "Fix the command line as sent on the wire; look for stray characters and for lines not"
            + " ended by CRLF.",
        "RFC 3463 §3.6");
    entry(
        t,
        "5.3",
        "45",
        ANY,
        "Too many recipients",
        "the transaction has more recipients than the server takes",
        "More recipients were given than the server accepts in one transaction.",
        "452 4.5.3 after the RCPT TO beyond the limit.",
        "Send the message to the recipients accepted so far, and to the others in another"
            + " transaction.",
        "RFC 3463 §3.6");
    entry(
        t,
        "5.4",
        "45",
        5,
        "Invalid command arguments",
        "the command's arguments are invalid or not supported",
        "A valid command was given invalid arguments: out of range, or naming features the server"
            + " does not support.",
        "501, 504 or 555 with 5.5.4 after MAIL FROM, RCPT TO or AUTH.",
        "Check the arguments and ESMTP parameters against the reply to EHLO.",
        "RFC 3463 §3.6");
    entry(
        t,
        "5.5",
        "45",
        ANY,
        "Wrong protocol version",
        "the two sides' protocol versions do not match",
        "The client and server use protocol versions that do not match, and could not settle on"
            + " one.",
        "Rare in SMTP; for instance a client that needs an extension the server does not speak.",
        "Use only what the server advertises in its reply to EHLO.",
        "RFC 3463 §3.6");
    entry(
        t,
        "5.6",
        "45",
        ANY,
        "Authentication exchange line is too long",
        "an AUTH response line was longer than the server accepts",
        "During AUTH the client sent a base64 response longer than the server's buffer for the"
            + " chosen mechanism.",
        "500 5.5.6 during an AUTH exchange.",
        "Check the client's AUTH encoding: an over-long line often means credentials encoded"
            + " twice, or a token too large for the mechanism.",
        "RFC 4954 §6");

    // X.6: Message Content or Media Status (RFC 3463 §3.7)
    entry(
        t,
        "6.0",
        "245",
        ANY,
        "Other or undefined media error",
        "something about the content, with no more detail",
        "Something about the message's content caused this status, and no more specific code"
            + " fits. Some servers send 2.6.0 when they queue an accepted message.",
        "554 5.6.0 after the final dot (content refused); 250 2.6.0 from some servers for"
            + " accepted mail.",
        "For a failure, check the message's MIME structure, header fields and encodings.",
        "RFC 3463 §3.7");
    entry(
        t,
        "6.1",
        "45",
        5,
        "Media not supported",
        "the message's media type is not supported",
        "The message contains a media type that the delivery protocol or the next system does not"
            + " support.",
        "554 5.6.1 after the final dot, or in a bounce.",
        "Send the content as a common media type or encoding.",
        "RFC 3463 §3.7");
    entry(
        t,
        "6.2",
        "45",
        ANY,
        "Conversion required and prohibited",
        "the content needs converting, but conversion is forbidden",
        "The content must be converted to be delivered, but the message or the sending host's"
            + " policy forbids conversion.",
        "In bounces; after the final dot on gateways.",
        "Send the content in a form the destination accepts, or allow conversion.",
        "RFC 3463 §3.7");
    entry(
        t,
        "6.3",
        "45",
        ANY,
        "Conversion required but not supported",
        "the content needs converting, but no host on the way can do it",
        "The content must be converted for the next hop but cannot be, for instance 8-bit content"
            + " that a gateway cannot turn into 7-bit for a hop without 8BITMIME.",
        "554 5.6.3 or in bounces, typically for 8-bit or binary content.",
        "Encode the content in 7 bits (quoted-printable or base64), and declare BODY=8BITMIME"
            + " only where the server advertises it.",
        "RFC 3463 §3.7");
    entry(
        t,
        "6.4",
        "245",
        ANY,
        "Conversion with loss performed",
        "the content was converted and something was lost",
        "The message was delivered after a conversion that lost some of its content (2.6.4), or"
            + " refused because the sender did not allow a lossy conversion.",
        "In delivery reports from gateways.",
        "Check what the recipient really got, and send in a form that needs no conversion.",
        "RFC 3463 §3.7");
    entry(
        t,
        "6.5",
        "45",
        ANY,
        "Conversion failed",
        "a required conversion of the content failed",
        "The content had to be converted, and the conversion did not succeed.",
        "In bounces from gateways.",
        "Simplify the content or its encoding.",
        "RFC 3463 §3.7");
    entry(
        t,
        "6.6",
        "45",
        ANY,
        "Message content not available",
        "the message's content could not be fetched",
        "The server could not fetch the message content that a BURL command pointed to.",
        "After BURL on submission servers.",
        "Check the URL given to BURL and that the server can reach that IMAP server, or send the"
            + " message with DATA.",
        "RFC 4468");
    entry(
        t,
        "6.7",
        "45",
        ANY,
        "Non-ASCII addresses not permitted for that sender/recipient",
        "a non-ASCII address was used where it is not allowed",
        "MAIL FROM or RCPT TO used an internationalized (non-ASCII) address where the server does"
            + " not allow one, for instance without SMTPUTF8.",
        "553 or 550 with 5.6.7 after MAIL FROM or RCPT TO.",
        "Use SMTPUTF8 when the reply to EHLO offers it, or an ASCII address.",
        "RFC 6531");
    entry(
        t,
        "6.8",
        "45",
        ANY,
        "UTF-8 string reply is required, but not permitted by the SMTP client",
        "the answer needs UTF-8, which the client did not allow",
        "To show a mailbox name the server needs a reply with UTF-8 in it, but the client did not"
            + " allow one (it did not give the SMTPUTF8 parameter).",
        "After VRFY or EXPN without SMTPUTF8, when the answer holds a non-ASCII address.",
        "Repeat the command with the SMTPUTF8 parameter if the server supports it.",
        "RFC 6531");
    entry(
        t,
        "6.9",
        "45",
        ANY,
        "UTF-8 header message cannot be transferred to one or more recipients, so the message"
            + " must be rejected",
        "a message with UTF-8 header fields cannot reach some recipients",
        "The message has internationalized (UTF-8) header fields, but it cannot be passed on to"
            + " one or more of its recipients, so it is refused after the final dot.",
        "550 or 554 with 5.6.9 after the final dot.",
        "Send to those recipients without UTF-8 in the header, or through servers that support"
            + " SMTPUTF8.",
        "RFC 6531");
    entry(
        t,
        "6.10",
        "45",
        ANY,
        "Deprecated duplicate of X.6.8",
        "a deprecated duplicate of X.6.8",
        "The registry lists X.6.10 as a duplicate of X.6.8, and deprecated; it means the same as"
            + " X.6.8.",
        "Seldom; from older SMTPUTF8 implementations.",
        "Handle it as X.6.8.",
        "RFC 6531");

    // X.7: Security or Policy Status (RFC 3463 §3.8)
    entry(
        t,
        "7.0",
        "245",
        ANY,
        "Other or undefined security status",
        "a security or policy reason, with no more detail",
        "Something about security or policy caused this status, and no more specific code fits,"
            + " or the server will not say more. RFC 4954 uses 2.7.0 for a successful AUTH, 4.7.0"
            + " for a temporary AUTH failure and 5.7.0 for 'authentication required'.",
        "235 2.7.0, 454 4.7.0, 530 5.7.0, and many policy refusals.",
        "After MAIL FROM (530 5.7.0, authentication required) start TLS and authenticate first."
            + " Otherwise read the text for the policy.",
        "RFC 3463 §3.8; RFC 4954 §6");
    entry(
        t,
        "7.1",
        "45",
        5,
        "Delivery not authorized, message refused",
        "the sender may not send this message to this recipient",
        "Policy refuses the delivery: the sender, the sending host or the message is not allowed"
            + " for this recipient, for instance relaying denied, a blocklisted address, an SPF"
            + " failure or a spam verdict.",
        "550 or 554 with 5.7.1 after RCPT TO (relaying denied), MAIL FROM, or the final dot; 450"
            + " or 451 with 4.7.1 for greylisting or rate limits.",
        "Read the text for the reason. Authenticate if you meant to relay; check SPF, DKIM and the"
            + " sending address's reputation.",
        "RFC 3463 §3.8");
    entry(
        t,
        "7.2",
        "45",
        5,
        "Mailing list expansion prohibited",
        "the sender may not send to this mailing list",
        "The sender is not allowed to send to the mailing list named by the recipient address.",
        "After RCPT TO or the final dot, from list servers.",
        "Subscribe, or send from an address that the list accepts.",
        "RFC 3463 §3.8");
    entry(
        t,
        "7.3",
        "45",
        5,
        "Security conversion required but not possible",
        "a needed conversion between secure message formats is impossible",
        "Delivery needed the message converted from one secure messaging protocol to another, and"
            + " that conversion was not possible.",
        "In bounces from security gateways.",
        "Send in a secure format the recipient supports.",
        "RFC 3463 §3.8");
    entry(
        t,
        "7.4",
        "45",
        5,
        "Security features not supported",
        "the delivery protocol cannot carry the message's security features",
        "The message uses security features that the delivery protocol cannot support.",
        "In bounces from gateways; rare in live replies.",
        "Send without those features, or over a path that supports them.",
        "RFC 3463 §3.8");
    entry(
        t,
        "7.5",
        "45",
        ANY,
        "Cryptographic failure",
        "a system could not validate or decrypt the message",
        "A system entitled to validate or decrypt the message could not, for instance because a"
            + " key was missing or invalid.",
        "In bounces; after the final dot on gateways that check signatures.",
        "Check the keys and certificates used to sign or encrypt the message.",
        "RFC 3463 §3.8");
    entry(
        t,
        "7.6",
        "45",
        ANY,
        "Cryptographic algorithm not supported",
        "the message uses a cryptographic algorithm that is not supported",
        "A system entitled to validate or decrypt the message could not, because it does not"
            + " support the algorithm used.",
        "In bounces from gateways.",
        "Use a widely supported algorithm.",
        "RFC 3463 §3.8");
    entry(
        t,
        "7.7",
        "245",
        ANY,
        "Message integrity failure",
        "the message was found corrupted or altered",
        "A system entitled to validate the message could not, because the message was corrupted"
            + " or altered on the way. RFC 3463 allows it in all three classes.",
        "In delivery reports, and after the final dot on validating gateways.",
        "Find what changed the message on the way, for instance a gateway that rewrites content"
            + " or line endings.",
        "RFC 3463 §3.8");
    entry(
        t,
        "7.8",
        "45",
        ANY,
        "Authentication credentials invalid",
        "the AUTH credentials are wrong",
        "AUTH failed because the credentials are invalid or not sufficient.",
        "535 5.7.8 at the end of an AUTH exchange.",
        "Check the user name, the password and their SASL encoding; ask for new credentials"
            + " rather than send the same ones again.",
        "RFC 4954 §6");
    entry(
        t,
        "7.9",
        "45",
        ANY,
        "Authentication mechanism is too weak",
        "the AUTH mechanism is weaker than the policy allows",
        "The chosen AUTH mechanism is weaker than the server's policy allows for this user.",
        "534 5.7.9 after AUTH.",
        "Choose a stronger mechanism from the AUTH line of the reply to EHLO.",
        "RFC 4954 §6");
    entry(
        t,
        "7.10",
        "45",
        ANY,
        "Encryption needed",
        "the AUTH mechanism needs an encrypted connection",
        "The chosen AUTH mechanism needs a privacy layer such as TLS underneath; this is meant"
            + " chiefly for mechanisms that send the password in clear.",
        "After AUTH with a clear-text mechanism on a connection without TLS.",
        "Start TLS before AUTH, or use a stronger mechanism.",
        "RFC 5248");
    entry(
        t,
        "7.11",
        "45",
        ANY,
        "Encryption required for requested authentication mechanism",
        "the AUTH mechanism may only be used over an encrypted connection",
        "The chosen AUTH mechanism is only allowed once the connection is encrypted.",
        "538 5.7.11 after AUTH.",
        "Start TLS before AUTH.",
        "RFC 4954 §6");
    entry(
        t,
        "7.12",
        "45",
        ANY,
        "A password transition is needed",
        "the user must first authenticate once with PLAIN",
        "The user must move to the chosen AUTH mechanism first, normally by authenticating once"
            + " with PLAIN; the mechanism then works in later sessions.",
        "432 4.7.12 after AUTH.",
        "Authenticate once with PLAIN over TLS, then use the chosen mechanism.",
        "RFC 4954 §6");
    entry(
        t,
        "7.13",
        "45",
        ANY,
        "User account disabled",
        "the account is disabled",
        "The credentials were right, but the account is disabled (for instance for abuse or"
            + " non-payment), and stays so until an administrator enables it again.",
        "After AUTH or MAIL FROM on submission servers.",
        "Do not ask for the password again; contact the server's administrator.",
        "RFC 5248");
    entry(
        t,
        "7.14",
        "45",
        ANY,
        "Trust relationship required",
        "the submission server needs a trust relationship with another server",
        "The submission server needs a configured trust relationship with a third-party server"
            + " to reach the message content (with BURL).",
        "After BURL on submission servers.",
        "Set up the trust between the submission server and the IMAP server, or send with DATA.",
        "RFC 5248");
    entry(
        t,
        "7.15",
        "45",
        ANY,
        "Priority level is too low",
        "the message's priority is below what the server accepts",
        "The message's MT-PRIORITY is below the lowest the server accepts; this may be temporary,"
            + " while the server only takes higher priorities.",
        "After MAIL FROM with MT-PRIORITY.",
        "Use a higher priority if you may.",
        "RFC 6710");
    entry(
        t,
        "7.16",
        "45",
        ANY,
        "Message is too big for the specified priority",
        "the message is too big for its priority",
        "The message is too big for the priority it asked for; the server may take only smaller"
            + " messages at that priority for the time being.",
        "After MAIL FROM with MT-PRIORITY and SIZE, or after the final dot.",
        "Send a smaller message or use another priority.",
        "RFC 6710");
    entry(
        t,
        "7.17",
        "45",
        ANY,
        "Mailbox owner has changed",
        "the recipient's mailbox changed owner since the date the sender required",
        "The message required (with the RRVS extension or a Require-Recipient-Valid-Since field)"
            + " that the mailbox had one owner since a date, and the receiver knows it has not.",
        "After RCPT TO with RRVS, or after the final dot.",
        "Confirm the recipient's current address before sending again.",
        "RFC 7293");
    entry(
        t,
        "7.18",
        "45",
        ANY,
        "Domain owner has changed",
        "the recipient's domain changed owner since the date the sender required",
        "The message required (RRVS) that the recipient be the same since a date, and the"
            + " receiver discloses that the recipient's domain has changed owner since then.",
        "After RCPT TO with RRVS, or after the final dot.",
        "Confirm the recipient's current address before sending again.",
        "RFC 7293");
    entry(
        t,
        "7.19",
        "45",
        ANY,
        "RRVS test cannot be completed",
        "the receiver cannot check the RRVS date",
        "The receiver cannot evaluate the RRVS requirement, because it did not record when the"
            + " mailbox got its current owner.",
        "After RCPT TO with RRVS, or after the final dot.",
        "Decide whether to send the message again without RRVS.",
        "RFC 7293");
    entry(
        t,
        "7.20",
        "45",
        ANY,
        "No passing DKIM signature found",
        "the message has no DKIM signature that verifies",
        "The message carries no DKIM signature that verifies, and the receiver's policy requires"
            + " one.",
        "550 5.7.20 after the final dot.",
        "Sign the message with DKIM, and make sure nothing changes it after signing.",
        "RFC 7372");
    entry(
        t,
        "7.21",
        "45",
        ANY,
        "No acceptable DKIM signature found",
        "no verifying DKIM signature is acceptable to the receiver",
        "The message has DKIM signatures that verify, but none that the receiver's policy"
            + " accepts, for instance because of the signing domain.",
        "550 5.7.21 after the final dot.",
        "Sign with a domain the receiver accepts, usually the domain of the From address.",
        "RFC 7372");
    entry(
        t,
        "7.22",
        "45",
        ANY,
        "No valid author-matched DKIM signature found",
        "no verifying DKIM signature belongs to the From domain",
        "None of the message's verifying DKIM signatures is from the domain of the author (From)"
            + " address; a special case of X.7.21.",
        "550 5.7.22 after the final dot.",
        "Sign with the same domain as the From header field.",
        "RFC 7372");
    entry(
        t,
        "7.23",
        "45",
        ANY,
        "SPF validation failed",
        "the sending host is not allowed to send for the sender's domain (SPF fail)",
        "The SPF check gave 'fail': the sending host is not among those the sender's domain"
            + " allows, and the receiver's policy refuses such mail.",
        "550 5.7.23 after MAIL FROM, RCPT TO or the final dot.",
        "Add the sending host to the domain's SPF record, or send through a server that the"
            + " record allows.",
        "RFC 7372; RFC 7208");
    entry(
        t,
        "7.24",
        "45",
        ANY,
        "SPF validation error",
        "checking SPF ran into an error",
        "Evaluating SPF for the message ended in an error: a DNS failure (temporary) or a broken"
            + " SPF record (permanent).",
        "451 4.7.24 or 550 5.7.24 after MAIL FROM or RCPT TO.",
        "Check the syntax of the sender domain's SPF record and its DNS.",
        "RFC 7372; RFC 7208");
    entry(
        t,
        "7.25",
        "45",
        ANY,
        "Reverse DNS validation failed",
        "the client's IP address failed the reverse DNS check",
        "The client's IP address failed the receiver's reverse DNS check, for instance no PTR"
            + " record, or a name that does not resolve back to the address.",
        "After the connection, EHLO or MAIL FROM.",
        "Give the sending address a PTR record whose name resolves back to it.",
        "RFC 7372");
    entry(
        t,
        "7.26",
        "45",
        ANY,
        "Multiple authentication checks failed",
        "the message failed several authentication checks",
        "The message failed more than one authentication check, for instance SPF and DKIM; which"
            + " ones is not said.",
        "550 5.7.26 after the final dot.",
        "Check SPF, DKIM and DMARC for the sender's domain.",
        "RFC 7372");
    entry(
        t,
        "7.27",
        "45",
        ANY,
        "Sender address has null MX",
        "the sender's domain declares that it accepts no mail",
        "The sender's domain publishes a null MX, so bounces could not be returned to it, and the"
            + " receiver refuses mail from it.",
        "550 5.7.27 after MAIL FROM.",
        "Send from an address whose domain accepts mail.",
        "RFC 7505 §4");
    entry(
        t,
        "7.29",
        "45",
        ANY,
        "ARC validation failure",
        "the message's ARC header fields failed validation",
        "The message's Authenticated Received Chain (ARC) header fields failed validation.",
        "After the final dot, from receivers that check ARC.",
        "Check how the intermediaries that handled the message (lists, forwarders) seal it with"
            + " ARC.",
        "RFC 8617 §5.2.2");
    entry(
        t,
        "7.30",
        "45",
        ANY,
        "REQUIRETLS support required",
        "the message requires REQUIRETLS, which the next hop does not support",
        "The message was sent with REQUIRETLS, but the next hop does not support it, so the"
            + " message cannot be passed on.",
        "In a bounce, or from a relay after MAIL FROM with REQUIRETLS.",
        "Deliver over a path that supports REQUIRETLS, or send without it.",
        "RFC 8689");
    // where the advice for one class differs from the general one
    advise(t, "1.1", 4, "The server could not confirm the recipient just now; check the address"
        + " for a typo all the same.");
    advise(t, "2.1", 4, "The mailbox is disabled for now.");
    advise(t, "2.1", 5, "Stop sending to the address.");
    advise(t, "3.2", 4, "Reconnect later: the host does not accept messages just now.");
    advise(t, "3.2", 5, "Do not use this host for mail.");
    advise(t, "4.0", 4, "A relay retries by itself; a client reads the text for the cause.");
    advise(t, "6.4", 2, "Check what the recipient really got.");
    advise(t, "7.1", 4, "Read the text: greylisting and rate limits answer 4.7.1, and a retry after"
        + " a few minutes usually passes; keep to the server's sending rate.");
    advise(t, "7.8", 4, "The server could not check the credentials just now; if it persists,"
        + " check the user name, the password and their SASL encoding.");
    return t;
  }

  private static void advise(Map<String, Detail> t, String key, int codeClass, String advice) {
    Detail d = t.get(key);
    if (d == null || d.classes.indexOf((char) ('0' + codeClass)) < 0) {
      throw new IllegalStateException("no " + codeClass + "." + key + " to advise on");
    }
    d.adviceByClass.put(codeClass, advice);
  }

  private static void entry(
      Map<String, Detail> t,
      String key,
      String classes,
      int usualClass,
      String name,
      String gist,
      String meaning,
      String whenSeen,
      String whatToDo,
      String rfc) {
    int dot = key.indexOf('.');
    Detail d =
        new Detail(
            Integer.parseInt(key.substring(0, dot)),
            Integer.parseInt(key.substring(dot + 1)),
            classes,
            usualClass,
            name,
            gist,
            meaning,
            whenSeen,
            whatToDo,
            rfc);
    if (t.put(key, d) != null) {
      throw new IllegalStateException("X." + key + " listed twice");
    }
  }

  private final int codeClass;
  private final Detail d;

  private EnhancedStatusCode(int codeClass, Detail d) {
    this.codeClass = codeClass;
    this.d = d;
  }

  /**
   * The catalogue entry for an enhanced status code.
   *
   * @param code the code as {@code class.subject.detail}, for instance {@code "5.7.1"}
   * @return the entry
   * @throws IllegalArgumentException when the code is malformed, or the catalogue does not know it;
   *     the message says which
   */
  public static EnhancedStatusCode of(String code) {
    if (code == null) {
      throw new NullPointerException("code");
    }
    Matcher m = FORM.matcher(code);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + code
              + "' is not an enhanced status code: expected class.subject.detail, such as"
              + " 5.7.1 (RFC 3463)");
    }
    int c = Integer.parseInt(m.group(1));
    String key = Integer.parseInt(m.group(2)) + "." + Integer.parseInt(m.group(3));
    String canonical = c + "." + key;
    if (c != 2 && c != 4 && c != 5) {
      throw new IllegalArgumentException(
          code + " is not an enhanced status code: the class must be 2, 4 or 5 (RFC 3463)");
    }
    EnhancedStatusCode found = BY_CODE.get(canonical);
    if (found != null) {
      return found;
    }
    Detail d = DETAILS.get(key);
    if (d == null) {
      throw new IllegalArgumentException(
          code
              + " is not a known enhanced status code: X."
              + key
              + " is neither in RFC 3463 nor in the later registrations this catalogue knows");
    }
    throw new IllegalArgumentException(
        code
            + " is not a known enhanced status code: X."
            + key
            + " ("
            + d.name
            + ") is used"
            + " only as "
            + alternatives(d));
  }

  private static String alternatives(Detail d) {
    StringBuilder s = new StringBuilder();
    char[] classes = d.classes.toCharArray();
    for (int i = 0; i < classes.length; i++) {
      if (i > 0) {
        s.append(i == classes.length - 1 ? " or " : ", ");
      }
      s.append(classes[i]).append('.').append(d.key());
    }
    return s.toString();
  }

  /**
   * The catalogue entry for an enhanced status code, if the code is well formed and known.
   *
   * @param code the code as {@code class.subject.detail}, for instance {@code "5.7.1"}
   * @return the entry, or empty when the code is malformed or not known
   */
  public static Optional<EnhancedStatusCode> find(String code) {
    if (code == null) {
      throw new NullPointerException("code");
    }
    Matcher m = FORM.matcher(code);
    if (!m.matches()) {
      return Optional.empty();
    }
    String canonical =
        m.group(1) + "." + Integer.parseInt(m.group(2)) + "." + Integer.parseInt(m.group(3));
    return Optional.ofNullable(BY_CODE.get(canonical));
  }

  /**
   * The enhanced status code at the start of a reply's text, as servers announcing
   * ENHANCEDSTATUSCODES write it (RFC 2034): for {@code "5.7.1 Message rejected"} the entry for
   * 5.7.1. The code must come first and be followed by a space, a tab or the end of the text.
   *
   * @param text the text of a reply, without the three-digit reply code
   * @return the entry, or empty when the text does not start with a code the catalogue knows
   */
  public static Optional<EnhancedStatusCode> fromReplyText(String text) {
    if (text == null) {
      throw new NullPointerException("text");
    }
    Matcher m = LEADING.matcher(text);
    return m.find() ? find(m.group(1)) : Optional.empty();
  }

  /**
   * Every code in the catalogue, each class and subject.detail combination that exists.
   *
   * @return the entries ordered by class, subject and detail; the list cannot be modified
   */
  public static List<EnhancedStatusCode> all() {
    return ALL;
  }

  /**
   * The class digit.
   *
   * @return 2 (success), 4 (persistent transient failure) or 5 (permanent failure)
   */
  public int codeClass() {
    return codeClass;
  }

  /**
   * The subject: what the status is about.
   *
   * @return the subject, 0 to 7
   */
  public int subject() {
    return d.subject;
  }

  /**
   * The detail within the subject.
   *
   * @return the detail
   */
  public int detail() {
    return d.detail;
  }

  /**
   * The code as text.
   *
   * @return {@code class.subject.detail}, for instance {@code "5.7.1"}
   */
  public String code() {
    return codeClass + "." + d.subject + "." + d.detail;
  }

  /**
   * The class of the SMTP reply that carries this code: 2 goes with 2xx replies, 4 with 4xx and 5
   * with 5xx.
   *
   * @return the reply class
   */
  public ReplyClass replyClass() {
    return ReplyClass.of(codeClass * 100);
  }

  /**
   * The name of the class as RFC 3463 gives it, in lower case: {@code "success"}, {@code
   * "persistent transient failure"} or {@code "permanent failure"}.
   *
   * @return the class's name
   */
  public String classDescription() {
    switch (codeClass) {
      case 2:
        return "success";
      case 4:
        return "persistent transient failure";
      default:
        return "permanent failure";
    }
  }

  private String classMeaning() {
    switch (codeClass) {
      case 2:
        return "the action succeeded; subject and detail only add information";
      case 4:
        return "the request was valid, but a condition that persists for now stopped it; sending"
            + " again later may succeed";
      default:
        return "sending the same request again will fail again; the message, an address or the"
            + " setup must change first";
    }
  }

  /**
   * The name of the subject, for instance {@code "Security or Policy Status"} for 5.7.1.
   *
   * @return the subject's name
   */
  public String subjectName() {
    return SUBJECTS[d.subject];
  }

  /**
   * The name of the code, for instance {@code "Delivery not authorized, message refused"}.
   *
   * @return the name
   */
  public String name() {
    return d.name;
  }

  /**
   * What the subject and detail mean, in one to three sentences; the same for every class.
   *
   * @return the meaning
   */
  public String meaning() {
    return d.meaning;
  }

  /**
   * When a client typically sees this code: with which reply, after which command.
   *
   * @return the situation
   */
  public String whenSeen() {
    return d.whenSeen;
  }

  /**
   * What a client, or the author of a test that met this code, should do; the advice depends on
   * the class: a 4.x.x code is transient (keep the message and retry later), a 5.x.x code
   * permanent (do not send the same request again unchanged), a 2.x.x code a success.
   *
   * @return the advice
   */
  public String whatToDo() {
    String specific = d.adviceByClass.get(codeClass);
    return switch (codeClass) {
      case 2 -> specific == null ? SUCCEEDED : SUCCEEDED + " " + specific;
      case 4 -> TRANSIENT + " " + (specific == null ? d.whatToDo : specific);
      default -> PERMANENT + " " + (specific == null ? d.whatToDo : specific);
    };
  }

  /**
   * Where the subject and detail are defined, for instance {@code "RFC 3463 §3.8"}.
   *
   * @return the reference
   */
  public String rfc() {
    return d.rfc;
  }

  /**
   * One line: code, name, class and a short meaning, as in {@code 5.7.1 Delivery not authorized,
   * message refused — permanent failure: the sender may not send this message to this recipient}.
   *
   * @return the summary
   */
  public String summary() {
    return code() + " " + d.name + " — " + classDescription() + ": " + d.gist;
  }

  /**
   * The full entry on several lines: the summary, then the class, subject, meaning, when seen, what
   * to do, a note when RFC 3463 intends the detail for the other failure class, and the RFC,
   * wrapped to 100 columns. Lines are separated by {@code \n}.
   *
   * @return the entry
   */
  public String explain() {
    StringBuilder out = new StringBuilder(summary()).append('\n');
    ReplyCode.field(
        out, "Class", codeClass + " " + classDescription() + " — " + classMeaning() + ".");
    ReplyCode.field(out, "Subject", "X." + d.subject + " " + subjectName());
    ReplyCode.field(out, "Meaning", d.meaning);
    ReplyCode.field(out, "When seen", d.whenSeen);
    ReplyCode.field(out, "What to do", whatToDo());
    if (d.usualClass != ANY && d.usualClass != codeClass) {
      ReplyCode.field(
          out,
          "Note",
          "RFC 3463 intends X."
              + d.key()
              + " for "
              + (d.usualClass == 5 ? "permanent failures" : "persistent transient failures")
              + " ("
              + d.usualClass
              + "."
              + d.key()
              + "); as "
              + code()
              + " the server "
              + (codeClass == 4
                  ? "refuses for now what is normally refused for good, so a retry may succeed."
                  : "has given up for good on what is normally a temporary condition."));
    }
    ReplyCode.field(out, "Reference", d.rfc);
    return out.substring(0, out.length() - 1);
  }

  /**
   * Two entries are equal when they have the same code.
   *
   * @param other the object to compare with
   * @return whether {@code other} is an enhanced status code with the same code
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof EnhancedStatusCode
        && ((EnhancedStatusCode) other).code().equals(code());
  }

  /**
   * A hash of the code.
   *
   * @return the hash
   */
  @Override
  public int hashCode() {
    return code().hashCode();
  }

  /**
   * The {@link #summary()}.
   *
   * @return the summary
   */
  @Override
  public String toString() {
    return summary();
  }
}
