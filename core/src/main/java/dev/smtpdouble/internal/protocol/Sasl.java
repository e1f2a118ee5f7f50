package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.AuthMechanism;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of the SASL mechanisms AUTH offers (RFC 4954): each exchange takes the
 * client's initial response and its later responses (base64 lines) and says what to answer. Pure:
 * no sockets, so each mechanism is testable alone.
 */
final class Sasl {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Sasl() {}

  /** What the server does next. */
  sealed interface Step permits Challenge, Success, Failure {}

  /**
   * Send {@code 334 text} and wait for the client's response.
   *
   * @param text the base64 challenge (possibly empty)
   */
  record Challenge(String text) implements Step {}

  /**
   * Authenticated.
   *
   * @param user the authentication identity
   */
  record Success(String user) implements Step {}

  /**
   * Refused.
   *
   * @param undecodable true when a response was not valid base64 (501), false for bad credentials
   *     (535)
   * @param user the identity the client claimed, or empty
   */
  record Failure(boolean undecodable, String user) implements Step {}

  /** One AUTH exchange. */
  abstract static class Exchange {
    final Map<String, String> users;

    Exchange(Map<String, String> users) {
      this.users = users;
    }

    /** The first step, given the initial response of the AUTH command or null when there is none. */
    abstract Step start(String initialResponse);

    /** The next step, given a response line (base64). */
    abstract Step respond(String line);

    boolean matches(String user, String secret) {
      String expected = users.get(user);
      return expected != null
          && MessageDigest.isEqual(
              expected.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The exchange for a mechanism. */
  static Exchange exchange(AuthMechanism mechanism, Map<String, String> users, String hostname) {
    return switch (mechanism) {
      case PLAIN -> new Plain(users);
      case LOGIN -> new Login(users);
      case CRAM_MD5 -> new CramMd5(users, hostname);
      case XOAUTH2 -> new XOAuth2(users);
    };
  }

  /** The base64 text decoded as UTF-8, or null when it is not base64. {@code =} is empty. */
  static String decode(String base64) {
    if (base64.equals("=")) {
      return "";
    }
    try {
      return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** RFC 4616: {@code [authzid] NUL authcid NUL passwd}. */
  private static final class Plain extends Exchange {
    Plain(Map<String, String> users) {
      super(users);
    }

    @Override
    Step start(String initialResponse) {
      return initialResponse == null ? new Challenge("") : respond(initialResponse);
    }

    @Override
    Step respond(String line) {
      String message = decode(line);
      if (message == null) {
        return new Failure(true, "");
      }
      String[] parts = message.split("\0", -1);
      if (parts.length != 3) {
        return new Failure(false, "");
      }
      return matches(parts[1], parts[2]) ? new Success(parts[1]) : new Failure(false, parts[1]);
    }
  }

  /** LOGIN: {@code Username:} then {@code Password:}, each answered in base64. */
  private static final class Login extends Exchange {
    private String user;

    Login(Map<String, String> users) {
      super(users);
    }

    @Override
    Step start(String initialResponse) {
      if (initialResponse == null) {
        return new Challenge(encode("Username:"));
      }
      return respond(initialResponse);
    }

    @Override
    Step respond(String line) {
      String text = decode(line);
      if (text == null) {
        return new Failure(true, user == null ? "" : user);
      }
      if (user == null) {
        user = text;
        return new Challenge(encode("Password:"));
      }
      return matches(user, text) ? new Success(user) : new Failure(false, user);
    }
  }

  /** RFC 2195: the client answers {@code user HMAC-MD5(secret, challenge)} in hex. */
  private static final class CramMd5 extends Exchange {
    private final String challenge;

    CramMd5(Map<String, String> users, String hostname) {
      super(users);
      this.challenge =
          "<" + Long.toUnsignedString(RANDOM.nextLong()) + "." + System.currentTimeMillis() + "@"
              + hostname + ">";
    }

    @Override
    Step start(String initialResponse) {
      return new Challenge(encode(challenge));
    }

    @Override
    Step respond(String line) {
      String text = decode(line);
      if (text == null) {
        return new Failure(true, "");
      }
      int space = text.lastIndexOf(' ');
      if (space <= 0) {
        return new Failure(false, "");
      }
      String user = text.substring(0, space);
      String digest = text.substring(space + 1).toLowerCase(java.util.Locale.ROOT);
      String secret = users.get(user);
      if (secret == null) {
        return new Failure(false, user);
      }
      String expected = hmacMd5(secret, challenge);
      boolean same =
          MessageDigest.isEqual(
              expected.getBytes(StandardCharsets.US_ASCII),
              digest.getBytes(StandardCharsets.US_ASCII));
      return same ? new Success(user) : new Failure(false, user);
    }

    private static String hmacMd5(String secret, String challenge) {
      try {
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        return HexFormat.of().formatHex(mac.doFinal(challenge.getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacMD5 is part of every JDK", e);
      }
    }
  }

  /**
   * XOAUTH2: {@code user=NAME ^A auth=Bearer TOKEN ^A ^A}. On a bad token the server sends a
   * JSON error in a 334 challenge, the client answers with an empty line, and gets 535.
   */
  private static final class XOAuth2 extends Exchange {
    private static final String ERROR =
        "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.example.test/\"}";
    private String failedUser;

    XOAuth2(Map<String, String> users) {
      super(users);
    }

    @Override
    Step start(String initialResponse) {
      return initialResponse == null ? new Challenge("") : respond(initialResponse);
    }

    @Override
    Step respond(String line) {
      if (failedUser != null) {
        return new Failure(false, failedUser);
      }
      String text = decode(line);
      if (text == null) {
        return new Failure(true, "");
      }
      String user = null;
      String token = null;
      for (String field : text.split("\u0001")) {
        if (field.startsWith("user=")) {
          user = field.substring(5);
        } else if (field.regionMatches(true, 0, "auth=Bearer ", 0, 12)) {
          token = field.substring(12);
        }
      }
      if (user != null && token != null && matches(user, token)) {
        return new Success(user);
      }
      failedUser = user == null ? "" : user;
      return new Challenge(encode(ERROR));
    }
  }
}
