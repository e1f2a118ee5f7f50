package dev.smtpdouble.robustness;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.smtpdouble.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client of the load tests: sends numbered messages of mixed sizes on a few connections in
 * turn, with DATA (MAIL, RCPT and DATA pipelined, the body dot-stuffed) or BDAT (everything
 * pipelined, the data in one to three chunks), and records what it sent and what it was told: each
 * message's id, SHA-256, size, connection, accepted recipients and final reply.
 */
final class LoadClient {
  /** The text lines messages are made of; a tenth start with a period. */
  private static final byte[][] LINES = lines();

  /** A message as the client sent it and as the double answered it. */
  record Sent(
      String id,
      int client,
      int connection,
      int index,
      String sha256,
      int size,
      List<String> recipients,
      int code,
      boolean recorded) {}

  /** The size mix: most messages small, a few large. */
  enum Mix {
    /** 90% 1 to 4 KiB, 8% 4 to 64 KiB, 2% 64 KiB to 1 MiB: about 16 KiB on average. */
    MOSTLY_SMALL,
    /** Sizes spread evenly on a log scale from 1 KiB to 1 MiB: about 150 KiB on average. */
    LOG_UNIFORM
  }

  private final String host;
  private final int port;
  private final int client;
  private final Mix mix;
  private final boolean rejectSome;
  private final AtomicLong octets;
  private final Map<String, String> attempted;

  LoadClient(
      String host,
      int port,
      int client,
      Mix mix,
      boolean rejectSome,
      AtomicLong octets,
      Map<String, String> attempted) {
    this.host = host;
    this.port = port;
    this.client = client;
    this.mix = mix;
    this.rejectSome = rejectSome;
    this.octets = octets;
    this.attempted = attempted;
  }

  /**
   * Sends {@code count} messages, {@code perConnection} on each connection; or, with {@code
   * stop}, until it is set (count is then the most). What was sent before a connection broke stays
   * in the list; a message whose final reply never came is marked not recorded-for-sure by a code
   * of 0.
   */
  List<Sent> run(int count, int perConnection, AtomicBoolean stop, AtomicLong acknowledged) {
    List<Sent> sent = new ArrayList<>();
    Random random = new Random(client * 7919L + 17);
    int index = 0;
    int connection = 0;
    while (index < count && (stop == null || !stop.get())) {
      connection++;
      RawClient connected;
      try {
        connected = RawClient.connect(host, port, 60_000);
      } catch (UncheckedIOException e) {
        if (stop != null) {
          return sent; // the process was stopped between two connections
        }
        throw e;
      }
      try (RawClient wire = connected) {
        if (!positive(wire.nextReply())) {
          return sent;
        }
        wire.write(("EHLO load" + client + ".test\r\n").getBytes(US_ASCII));
        if (!positive(wire.nextReply())) {
          return sent;
        }
        for (int k = 0; k < perConnection && index < count && (stop == null || !stop.get()); k++) {
          index++;
          Sent one = send(wire, random, connection, index);
          if (one == null) {
            return sent; // the connection broke (the process was stopped)
          }
          sent.add(one);
          if (one.code() / 100 == 2 && acknowledged != null) {
            acknowledged.incrementAndGet();
          }
        }
        wire.write("QUIT\r\n".getBytes(US_ASCII));
        wire.nextReply();
      }
    }
    return sent;
  }

  private static boolean positive(RawClient.Reply reply) {
    return reply != null && reply.code() / 100 == 2;
  }

  private Sent send(RawClient wire, Random random, int connection, int index) {
    String id = "c" + client + ".k" + connection + ".m" + index + "@load.test";
    byte[] data = message(random, id);
    String sha256 = sha256(data);
    attempted.put(id, sha256); // before a byte is sent: the double may record it in any case
    List<String> recipients = recipients(random);
    boolean bdat = random.nextInt(4) == 0;
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 512);
    out.writeBytes(("MAIL FROM:<c" + client + "@load.test>\r\n").getBytes(US_ASCII));
    for (String recipient : recipients) {
      out.writeBytes(("RCPT TO:<" + recipient + ">\r\n").getBytes(US_ASCII));
    }
    int chunks = 0;
    if (bdat) {
      chunks = 1 + random.nextInt(3);
      int at = 0;
      for (int c = 1; c <= chunks; c++) {
        int end = c == chunks ? data.length : at + random.nextInt(data.length - at + 1);
        out.writeBytes(
            ("BDAT " + (end - at) + (c == chunks ? " LAST" : "") + "\r\n").getBytes(US_ASCII));
        out.write(data, at, end - at);
        at = end;
      }
    } else {
      out.writeBytes("DATA\r\n".getBytes(US_ASCII));
    }
    if (!wire.write(out.toByteArray())) {
      return null;
    }
    octets.addAndGet(out.size());
    RawClient.Reply mail = wire.nextReply();
    if (mail == null) {
      return null;
    }
    List<String> accepted = new ArrayList<>();
    for (String recipient : recipients) {
      RawClient.Reply reply = wire.nextReply();
      if (reply == null) {
        return null;
      }
      if (reply.code() == 250) {
        accepted.add(recipient);
      }
    }
    boolean usable = mail.code() == 250 && !accepted.isEmpty();
    int code;
    if (bdat) {
      RawClient.Reply last = null;
      for (int c = 0; c < chunks; c++) {
        last = wire.nextReply();
        if (last == null) {
          return null;
        }
      }
      code = last.code();
    } else {
      RawClient.Reply reply = wire.nextReply();
      if (reply == null) {
        return null;
      }
      if (reply.code() == 354) {
        // a body sent after 354 is recorded, also when the 354 was scripted (SPEC §2)
        usable = true;
        byte[] stuffed = Fuzz.stuffed(data);
        if (!wire.write(stuffed)) {
          return null;
        }
        octets.addAndGet(stuffed.length);
        RawClient.Reply end = wire.nextReply();
        if (end == null) {
          return null;
        }
        code = end.code();
      } else {
        usable = false;
        code = reply.code();
      }
    }
    if (!usable) {
      wire.write("RSET\r\n".getBytes(US_ASCII));
      if (wire.nextReply() == null) {
        return null;
      }
    }
    return new Sent(
        id, client, connection, index, sha256, data.length, List.copyOf(accepted), code, usable);
  }

  private List<String> recipients(Random random) {
    if (!rejectSome) {
      return List.of("r" + client + "@load.test");
    }
    int n = 1 + random.nextInt(3);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(random.nextInt(3) == 0 ? "x" + i + "@reject.test" : "r" + i + "@load.test");
    }
    return out;
  }

  private byte[] message(Random random, String id) {
    int size = size(random);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 200);
    out.writeBytes(
        ("Message-ID: <" + id + ">\r\nSubject: load " + id + "\r\nX-Size: " + size + "\r\n\r\n")
            .getBytes(US_ASCII));
    while (out.size() < size) {
      out.writeBytes(LINES[random.nextInt(LINES.length)]);
    }
    return out.toByteArray();
  }

  private int size(Random random) {
    double r = random.nextDouble();
    return switch (mix) {
      case MOSTLY_SMALL -> {
        int roll = random.nextInt(100);
        if (roll < 90) {
          yield 1024 + (int) (r * 3 * 1024);
        } else if (roll < 98) {
          yield 4096 + (int) (r * 60 * 1024);
        }
        yield 65536 + (int) (r * (1024 * 1024 - 65536));
      }
      case LOG_UNIFORM -> (int) Math.round(1024 * Math.pow(1024, r));
    };
  }

  private static byte[][] lines() {
    Random random = new Random(42);
    byte[] alphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_=+!?()<>@/"
            .getBytes(US_ASCII);
    byte[][] lines = new byte[4096][];
    for (int i = 0; i < lines.length; i++) {
      int length = random.nextInt(10) == 0 ? random.nextInt(3) : 20 + random.nextInt(60);
      byte[] line = new byte[length + 2];
      for (int k = 0; k < length; k++) {
        line[k] = alphabet[random.nextInt(alphabet.length)];
      }
      if (length > 0 && random.nextInt(10) == 0) {
        line[0] = '.';
      }
      line[length] = '\r';
      line[length + 1] = '\n';
      lines[i] = line;
    }
    lines[0] = ".\r\n".getBytes(US_ASCII);
    lines[1] = "..\r\n".getBytes(US_ASCII);
    return lines;
  }

  /** The SHA-256 of the bytes, in hex. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The id in a message's first line, {@code Message-ID: <id>}; null when there is none. */
  static String idOf(byte[] data) {
    byte[] prefix = "Message-ID: <".getBytes(US_ASCII);
    if (data.length < prefix.length
        || !Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length)) {
      return null;
    }
    for (int i = prefix.length; i < data.length && i < 200; i++) {
      if (data[i] == '>') {
        return new String(data, prefix.length, i - prefix.length, US_ASCII);
      }
    }
    return null;
  }
}
