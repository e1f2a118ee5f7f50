package dev.smtpdouble;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a persona file: one statement a line, {@code #} comments, words and double-quoted texts
 * (with {@code \"} and {@code \\} escapes). The statements are listed in docs/personas.md; every
 * setting, reply and limit must cite at least one declared source, and every source must be cited.
 */
final class PersonaFile {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z0-9-]+)\\}");

  /** The standard replies a persona may replace with {@code use REPLY for NAME}. */
  static final Set<String> REPLACEABLE =
      Set.of(
          "greeting", "ehlo", "ehlo-secure", "tls-ready", "tls-required", "auth-ok",
          "auth-failed", "auth-required", "bye", "too-many-recipients", "size-exceeded",
          "mail-ok", "rcpt-ok", "queued");

  private final String origin;
  private int number;
  private String line;

  String name;
  String title = "";
  int version;
  LocalDate dated;
  final Map<String, Persona.Source> sources = new LinkedHashMap<>();
  final Set<String> cited = new LinkedHashSet<>();
  final List<Persona.Setting> settings = new ArrayList<>();
  final Map<String, Persona.Quote> replies = new LinkedHashMap<>();
  final Map<String, String> uses = new LinkedHashMap<>();
  final List<Persona.Limit> limits = new ArrayList<>();
  final Map<String, Persona.Situation> situations = new LinkedHashMap<>();
  final List<String> missing = new ArrayList<>();

  private PersonaFile(String origin) {
    this.origin = origin;
  }

  /** Reads the persona resource of this name, or returns null when there is none. */
  static PersonaFile load(String name) {
    String resource = "/dev/smtpdouble/personas/" + name + ".persona";
    try (InputStream in = PersonaFile.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** Parses persona text; {@code origin} names it in errors. */
  static PersonaFile parse(String origin, String text) {
    PersonaFile file = new PersonaFile(origin);
    for (String each : text.split("\r\n|\r|\n", -1)) {
      file.number++;
      file.line = each;
      List<String> words = file.words(each);
      if (!words.isEmpty()) {
        file.statement(words);
      }
    }
    file.check();
    return file;
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(origin + " line " + number + ": " + message + ": " + line);
  }

  private List<String> words(String text) {
    List<String> words = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t') {
        i++;
      } else if (c == '#') {
        break;
      } else if (c == '"') {
        StringBuilder word = new StringBuilder("\"");
        i++;
        while (true) {
          if (i >= text.length()) {
            throw error("a text is not closed with \"");
          }
          char d = text.charAt(i++);
          if (d == '"') {
            break;
          }
          if (d == '\\' && i < text.length()) {
            d = text.charAt(i++);
          }
          word.append(d);
        }
        words.add(word.toString());
      } else {
        int start = i;
        while (i < text.length() && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
          i++;
        }
        words.add(text.substring(start, i));
      }
    }
    return words;
  }

  private static boolean quoted(String word) {
    return word.startsWith("\"");
  }

  private String text(List<String> words, int at, String what) {
    if (at >= words.size() || !quoted(words.get(at))) {
      throw error("expected " + what + " as a double-quoted text");
    }
    return words.get(at).substring(1);
  }

  private String word(List<String> words, int at, String what) {
    if (at >= words.size() || quoted(words.get(at))) {
      throw error("expected " + what);
    }
    return words.get(at);
  }

  /** The {@code cite ID... [note "text"]} tail starting at {@code at}; at least one id. */
  private Citation citation(List<String> words, int at) {
    if (at >= words.size() || !words.get(at).equals("cite")) {
      throw error("expected 'cite' and the sources it rests on");
    }
    List<String> ids = new ArrayList<>();
    int i = at + 1;
    while (i < words.size() && !quoted(words.get(i)) && !words.get(i).equals("note")) {
      ids.add(words.get(i++));
    }
    if (ids.isEmpty()) {
      throw error("'cite' needs at least one source id");
    }
    String note = "";
    if (i < words.size()) {
      if (!words.get(i).equals("note")) {
        throw error("expected 'note' or end of line");
      }
      note = text(words, i + 1, "the note");
      if (i + 2 != words.size()) {
        throw error("nothing may follow the note");
      }
    }
    cited.addAll(ids);
    return new Citation(List.copyOf(ids), note);
  }

  private record Citation(List<String> ids, String note) {}

  private void statement(List<String> words) {
    String keyword = words.get(0);
    switch (keyword) {
      case "persona" -> {
        name = word(words, 1, "the persona's name");
        if (!NAME.matcher(name).matches()) {
          throw error("a persona name is lower case letters, digits and hyphens");
        }
        end(words, 2);
      }
      case "title" -> {
        title = text(words, 1, "the title");
        end(words, 2);
      }
      case "version" -> {
        try {
          version = Integer.parseInt(word(words, 1, "the version number"));
        } catch (NumberFormatException e) {
          throw error("the version is a whole number");
        }
        end(words, 2);
      }
      case "dated" -> {
        try {
          dated = LocalDate.parse(word(words, 1, "the date (YYYY-MM-DD)"));
        } catch (DateTimeParseException e) {
          throw error("the date is YYYY-MM-DD");
        }
        end(words, 2);
      }
      case "source" -> {
        String id = word(words, 1, "the source's id");
        String url = word(words, 2, "the source's address");
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
          throw error("a source's address is an http or https URL");
        }
        String sourceTitle = text(words, 3, "the source's title");
        end(words, 4);
        if (sources.put(id, new Persona.Source(id, url, sourceTitle)) != null) {
          throw error("source " + id + " is declared twice");
        }
      }
      case "hostname", "size-limit", "max-recipients" -> setting(keyword, words, 1);
      case "tls" -> {
        String mode = word(words, 1, "starttls, starttls-required or implicit");
        if (!Set.of("starttls", "starttls-required", "implicit").contains(mode)) {
          throw error("tls is starttls, starttls-required or implicit");
        }
        setting(keyword, words, 1);
      }
      case "auth-required", "auth-needs-tls" -> {
        Citation citation = citation(words, 1);
        settings.add(new Persona.Setting(keyword, List.of(), citation.ids(), citation.note()));
      }
      case "auth", "extensions" -> listSetting(keyword, words);
      case "reply" -> reply(words);
      case "use" -> {
        String id = word(words, 1, "a reply id");
        if (words.size() != 4 || !words.get(2).equals("for")) {
          throw error("expected: use REPLY for STANDARD-REPLY");
        }
        String standard = words.get(3);
        if (!REPLACEABLE.contains(standard)) {
          throw error("a persona can replace the standard replies " + new TreeSet<>(REPLACEABLE));
        }
        uses.put(standard, id);
      }
      case "limit" -> limits.add(limit(words, 1));
      case "situation" -> situation(words);
      case "missing" -> {
        missing.add(text(words, 1, "what is left out and why"));
        end(words, 2);
      }
      default -> throw error("unknown statement '" + keyword + "'");
    }
  }

  private void end(List<String> words, int size) {
    if (words.size() != size) {
      throw error("unexpected '" + unquote(words.get(Math.min(size, words.size() - 1))) + "'");
    }
  }

  private static String unquote(String word) {
    return quoted(word) ? word.substring(1) : word;
  }

  private void setting(String keyword, List<String> words, int at) {
    String value = word(words, at, "the " + keyword);
    if (keyword.equals("size-limit") || keyword.equals("max-recipients")) {
      try {
        if (Long.parseLong(value) < 1) {
          throw error(keyword + " is a positive number");
        }
      } catch (NumberFormatException e) {
        throw error(keyword + " is a number");
      }
    }
    Citation citation = citation(words, at + 1);
    settings.add(new Persona.Setting(keyword, List.of(value), citation.ids(), citation.note()));
  }

  private void listSetting(String keyword, List<String> words) {
    List<String> values = new ArrayList<>();
    int i = 1;
    while (i < words.size() && !words.get(i).equals("cite")) {
      String value = word(words, i++, "a keyword").toUpperCase(Locale.ROOT);
      boolean known =
          keyword.equals("auth")
              ? AuthMechanism.fromKeyword(value).isPresent()
              : Extension.fromKeyword(value).isPresent();
      if (!known) {
        throw error("the double does not implement " + value);
      }
      values.add(value);
    }
    if (values.isEmpty()) {
      throw error(keyword + " needs at least one keyword");
    }
    Citation citation = citation(words, i);
    settings.add(
        new Persona.Setting(keyword, List.copyOf(values), citation.ids(), citation.note()));
  }

  private void reply(List<String> words) {
    String id = word(words, 1, "the reply's id");
    int code;
    try {
      code = Integer.parseInt(word(words, 2, "a three-digit code"));
    } catch (NumberFormatException e) {
      throw error("expected a three-digit code");
    }
    if (code < 200 || code > 599) {
      throw error("a reply code is 200 to 599");
    }
    List<String> lines = new ArrayList<>();
    int i = 3;
    while (i < words.size() && quoted(words.get(i))) {
      lines.add(words.get(i++).substring(1));
    }
    if (lines.isEmpty()) {
      throw error("a reply needs its text, one double-quoted text a line");
    }
    if (i >= words.size() || !words.get(i).equals("means")) {
      throw error("expected 'means' and the provider's meaning");
    }
    String meaning = text(words, i + 1, "the provider's meaning");
    Citation citation = citation(words, i + 2);
    Persona.Quote quote =
        new Persona.Quote(id, new Reply(code, lines), meaning, citation.ids(), citation.note());
    if (replies.put(id, quote) != null) {
      throw error("reply " + id + " is declared twice");
    }
  }

  private Persona.Limit limit(List<String> words, int at) {
    String limitName = word(words, at, "the limit's name");
    String counts = word(words, at + 1, "what it counts");
    Persona.Counts kind;
    try {
      kind = Persona.Counts.valueOf(counts.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw error("a limit counts connections, messages or recipients");
    }
    int count;
    try {
      count = Integer.parseInt(word(words, at + 2, "the limit's number"));
    } catch (NumberFormatException e) {
      throw error("expected the limit's number");
    }
    int i = at + 3;
    Duration window = null;
    if (i < words.size() && words.get(i).equals("per")) {
      window = duration(word(words, i + 1, "a duration such as 1s, 1m or 24h"));
      i += 2;
    }
    if (window != null && kind == Persona.Counts.CONNECTIONS) {
      throw error("a connection limit has no time window");
    }
    if (i + 3 >= words.size() || !words.get(i).equals("at") || !words.get(i + 2).equals("reply")) {
      throw error("expected: at mail|rcpt|end-of-data reply REPLY cite ...");
    }
    Persona.Point point;
    try {
      point = Persona.Point.valueOf(words.get(i + 1).toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw error("a limit acts at mail, rcpt or end-of-data");
    }
    String reply = words.get(i + 3);
    Citation citation = citation(words, i + 4);
    try {
      return new Persona.Limit(
          limitName, kind, count, window, point, reply, citation.ids(), citation.note());
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  private Duration duration(String text) {
    Duration duration = PersonaSpec.duration(text);
    if (duration == null) {
      throw error("a duration is a number and ms, s, m or h, such as 24h");
    }
    return duration;
  }

  private void situation(List<String> words) {
    String situation = word(words, 1, "the situation's name");
    if (!NAME.matcher(situation).matches()) {
      throw error("a situation name is lower case letters, digits and hyphens");
    }
    Persona.Situation known = situations.get(situation);
    if (words.size() < 3) {
      throw error("expected a description, 'rule' or 'limit'");
    }
    String what = unquote(words.get(2));
    if (quoted(words.get(2))) {
      end(words, 3);
      if (known != null) {
        throw error("situation " + situation + " is described twice");
      }
      situations.put(situation, new Persona.Situation(situation, what, List.of(), List.of()));
      return;
    }
    if (known == null) {
      throw error("describe situation " + situation + " first: situation NAME \"what it does\"");
    }
    List<String> rules = new ArrayList<>(known.rules());
    List<Persona.Limit> situationLimits = new ArrayList<>(known.limits());
    if (what.equals("rule")) {
      int start = line.indexOf("rule", line.indexOf(situation) + situation.length()) + 4;
      rules.add(line.substring(start).strip());
    } else if (what.equals("limit")) {
      situationLimits.add(limit(words, 3));
    } else {
      throw error("a situation holds a 'rule' or a 'limit'");
    }
    situations.put(
        situation,
        new Persona.Situation(situation, known.description(), List.copyOf(rules), situationLimits));
  }

  private void check() {
    number = 0;
    line = "";
    if (name == null || dated == null || version < 1 || title.isEmpty()) {
      throw error("a persona needs its persona, title, version and dated lines");
    }
    for (String id : cited) {
      if (!sources.containsKey(id)) {
        throw error("source " + id + " is cited but not declared");
      }
    }
    for (String id : sources.keySet()) {
      if (!cited.contains(id)) {
        throw error("source " + id + " is declared but never cited");
      }
    }
    uses.forEach(
        (standard, id) -> {
          if (!replies.containsKey(id)) {
            throw error("use " + id + " for " + standard + ": no such reply");
          }
        });
    List<Persona.Limit> all = new ArrayList<>(limits);
    situations.values().forEach(s -> all.addAll(s.limits()));
    for (Persona.Limit limit : all) {
      if (!replies.containsKey(limit.reply())) {
        throw error("limit " + limit.name() + " replies " + limit.reply() + ": no such reply");
      }
    }
    for (Persona.Situation situation : situations.values()) {
      if (situation.rules().isEmpty() && situation.limits().isEmpty()) {
        throw error("situation " + situation.name() + " does nothing");
      }
      for (String rule : situation.rules()) {
        Rule.parse(expand(rule, replies));
      }
    }
  }

  /** A situation's rule with each {reply-id} replaced by that reply's code and quoted lines. */
  static String expand(String rule, Map<String, Persona.Quote> replies) {
    Matcher m = PLACEHOLDER.matcher(rule);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Persona.Quote quote = replies.get(m.group(1));
      if (quote == null) {
        throw new IllegalArgumentException("no reply " + m.group(1) + " in rule: " + rule);
      }
      StringBuilder reply = new StringBuilder(Integer.toString(quote.reply().code()));
      for (String line : quote.reply().lines()) {
        reply.append(' ').append(Quoting.quote(line));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(reply.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }
}
