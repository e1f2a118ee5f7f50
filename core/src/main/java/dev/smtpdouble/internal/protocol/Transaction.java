package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.internal.capture.MessageData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One mail transaction: from MAIL to the end of its data, RSET, or a new EHLO/HELO. */
final class Transaction {
  final String from;
  final Map<String, String> mailParameters;
  final List<String> recipients = new ArrayList<>(2);
  final List<Map<String, String>> recipientParameters = new ArrayList<>(2);
  final List<MessageData> chunks = new ArrayList<>();
  long chunkOctets;
  long storedChunkOctets;

  Transaction(String from, Map<String, String> mailParameters) {
    this.from = from;
    this.mailParameters = mailParameters;
  }

  /** Adds an accepted BDAT chunk of {@code size} octets, of which {@code chunk} was kept. */
  void addChunk(MessageData chunk, long size) {
    chunks.add(chunk);
    chunkOctets += size;
    storedChunkOctets += chunk.length();
  }

  /** Takes back the chunk last added: a refused chunk is not part of the message (RFC 3030 §2). */
  void removeLastChunk(MessageData chunk, long size) {
    chunks.remove(chunks.size() - 1);
    chunkOctets -= size;
    storedChunkOctets -= chunk.length();
  }

  boolean declared(String keyword) {
    return mailParameters.containsKey(keyword);
  }

  String body() {
    String body = mailParameters.get("BODY");
    return body == null ? "" : body;
  }
}
