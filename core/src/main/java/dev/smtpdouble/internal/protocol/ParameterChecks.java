package dev.smtpdouble.internal.protocol;

import dev.smtpdouble.Extension;
import dev.smtpdouble.Settings;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of MAIL and RCPT parameters against the extensions offered (RFC 1870 SIZE, RFC 6152
 * BODY, RFC 6531 SMTPUTF8, RFC 3461 DSN, RFC 4954 AUTH), and the command line limits those
 * parameters extend.
 */
final class ParameterChecks {
  static final int COMMAND_LIMIT = 512;
  private static final int AUTH_LIMIT = 12288;
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
  private static final Pattern BODY_TYPES = Pattern.compile("7BIT|8BITMIME|BINARYMIME");
  private static final Pattern NOTIFY =
      Pattern.compile("(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY)){0,2}");

  private final Settings settings;
  private final Set<Extension> offered;
  private final StandardReplies replies;

  ParameterChecks(Settings settings, StandardReplies replies) {
    this.settings = settings;
    this.offered = settings.extensions();
    this.replies = replies;
  }

  /** The refusal of the first MAIL parameter that is not offered or not valid; null when none. */
  EncodedReply mail(Map<String, String> parameters) {
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      String key = parameter.getKey();
      String value = parameter.getValue();
      String upper = value.toUpperCase(Locale.ROOT);
      switch (key) {
        case "SIZE" -> {
          if (!offered.contains(Extension.SIZE)) {
            return replies.unsupportedParameter(key);
          }
          long declared = number(value);
          if (declared < 0) {
            return replies.badParameterValue("SIZE=" + value);
          }
          if (settings.sizeLimit() > 0 && declared > settings.sizeLimit()) {
            return replies.sizeExceeded;
          }
        }
        case "BODY" -> {
          boolean known =
              switch (upper) {
                case "7BIT" ->
                    offered.contains(Extension.EIGHT_BIT_MIME)
                        || offered.contains(Extension.BINARY_MIME);
                case "8BITMIME" -> offered.contains(Extension.EIGHT_BIT_MIME);
                case "BINARYMIME" ->
                    offered.contains(Extension.BINARY_MIME) && offered.contains(Extension.CHUNKING);
                default -> false;
              };
          if (!known) {
            return BODY_TYPES.matcher(upper).matches()
                ? replies.unsupportedParameter("BODY=" + upper)
                : replies.badParameterValue("BODY=" + value);
          }
        }
        case "SMTPUTF8" -> {
          if (!offered.contains(Extension.SMTPUTF8)) {
            return replies.unsupportedParameter(key);
          }
          if (!value.isEmpty()) {
            return replies.badParameterValue("SMTPUTF8=" + value);
          }
        }
        case "RET" -> {
          if (!offered.contains(Extension.DSN)) {
            return replies.unsupportedParameter(key);
          }
          if (!upper.equals("FULL") && !upper.equals("HDRS")) {
            return replies.badParameterValue("RET=" + value);
          }
        }
        case "ENVID" -> {
          if (!offered.contains(Extension.DSN)) {
            return replies.unsupportedParameter(key);
          }
          if (!isXtext(value) || value.length() > 100) {
            return replies.badParameterValue("ENVID=" + value);
          }
        }
        case "AUTH" -> {
          if (!settings.authEnabled()) {
            return replies.unsupportedParameter(key);
          }
          if (!value.equals("<>") && !isXtext(value)) {
            return replies.badParameterValue("AUTH=" + value);
          }
        }
        default -> {
          return replies.unsupportedParameter(key);
        }
      }
    }
    return null;
  }

  /** The refusal of the first RCPT parameter that is not offered or not valid; null when none. */
  EncodedReply rcpt(Map<String, String> parameters) {
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      String key = parameter.getKey();
      String value = parameter.getValue();
      switch (key) {
        case "NOTIFY" -> {
          if (!offered.contains(Extension.DSN)) {
            return replies.unsupportedParameter(key);
          }
          String upper = value.toUpperCase(Locale.ROOT);
          if (!upper.equals("NEVER") && !NOTIFY.matcher(upper).matches()) {
            return replies.badParameterValue("NOTIFY=" + value);
          }
        }
        case "ORCPT" -> {
          if (!offered.contains(Extension.DSN)) {
            return replies.unsupportedParameter(key);
          }
          int semicolon = value.indexOf(';');
          if (semicolon <= 0 || semicolon == value.length() - 1) {
            return replies.badParameterValue("ORCPT=" + value);
          }
        }
        default -> {
          return replies.unsupportedParameter(key);
        }
      }
    }
    return null;
  }

  /**
   * The reply to a MAIL or RCPT whose parameters are fine: strict mode refuses a parameter of an
   * extension the session was not offered (its keyword, or null when there is none).
   */
  EncodedReply unlessNotOffered(String notOffered, EncodedReply accept) {
    return settings.strict() && notOffered != null
        ? replies.unsupportedParameter(notOffered)
        : accept;
  }

  /**
   * The longest command line allowed: 512 octets, more for MAIL and RCPT lines that carry the
   * parameters whose RFCs extend the limit (SIZE +26, RET/ENVID +100, NOTIFY/ORCPT +500, AUTH=
   * +500), and 12288 for AUTH (RFC 4954 §4).
   */
  static long lineLimit(String verb, String argument) {
    if (verb.equals("AUTH")) {
      return AUTH_LIMIT;
    }
    if (!verb.equals("MAIL") && !verb.equals("RCPT")) {
      return COMMAND_LIMIT;
    }
    String upper = argument.toUpperCase(Locale.ROOT);
    long limit = COMMAND_LIMIT;
    if (upper.contains(" SIZE=")) {
      limit += 26;
    }
    if (upper.contains(" RET=") || upper.contains(" ENVID=")) {
      limit += 100;
    }
    if (upper.contains(" NOTIFY=") || upper.contains(" ORCPT=")) {
      limit += 500;
    }
    if (upper.contains(" AUTH=")) {
      limit += 500;
    }
    return limit;
  }

  /** Whether a text is a BDAT size or a SIZE value: 1 to 18 digits. */
  static boolean isNumber(String value) {
    return value != null && DIGITS.matcher(value).matches();
  }

  /** A SIZE value or BDAT size, or -1 when it is not 1 to 18 digits. */
  static long number(String value) {
    return isNumber(value) ? Long.parseLong(value) : -1;
  }

  /** RFC 3461 §4 xtext: printable ASCII except {@code +} and {@code =}, or {@code +HH}. */
  private static boolean isXtext(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '+') {
        if (i + 2 >= value.length() || !isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (c < 33 || c > 126 || c == '=') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
  }
}
