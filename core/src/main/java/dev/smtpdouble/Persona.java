package dev.smtpdouble;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A provider persona: the double answers as a real provider's endpoint does (Gmail, Microsoft 365,
 * Amazon SES), with that provider's reply texts and the stateful limits it enforces, each traced to
 * the public page it comes from. Personas are data, one versioned and dated file each; what no
 * public source gives is left out, and {@link #missing()} says what.
 *
 * <pre>{@code
 * SmtpDouble smtp = SmtpDouble.builder()
 *     .persona(Persona.SES_SMTP.limit("sending-rate", 2, Duration.ofMillis(200)))
 *     .user("AKIAEXAMPLE", "secret")
 *     .start();
 * }</pre>
 *
 * <p>In the script language: {@code persona ses-smtp with throttling limits x0.001}. A persona sets
 * the double's normal behaviour; every rule, whenever added, wins over it. Values are immutable:
 * {@link #with}, {@link #scaledLimits} and {@link #limit} return new personas.
 *
 * @since 0.2
 */
public final class Persona {
  // before the constants: loading a persona uses them
  private static final List<String> NAMES =
      List.of("gmail-submission", "m365-submission", "ses-smtp", "gmail-mx");


  /** Gmail and Google Workspace message submission: smtp.gmail.com on port 587. */
  public static final Persona GMAIL_SUBMISSION = named("gmail-submission");

  /** Microsoft 365 (Exchange Online) SMTP AUTH client submission: smtp.office365.com, 587. */
  public static final Persona M365_SUBMISSION = named("m365-submission");

  /** The Amazon SES SMTP interface, for an account in the SES sandbox. */
  public static final Persona SES_SMTP = named("ses-smtp");

  /** Gmail's receiving side, the MX hosts of gmail.com, as a sending MTA meets it. */
  public static final Persona GMAIL_MX = named("gmail-mx");

  /** What a limit counts. */
  public enum Counts {
    /** Sessions open at once that authenticated as the same user. */
    CONNECTIONS,
    /** Messages accepted within the time window, per user. */
    MESSAGES,
    /** Recipients of the messages accepted within the time window, per user. */
    RECIPIENTS
  }

  /** Where a limit refuses. */
  public enum Point {
    /** The MAIL command. */
    MAIL,
    /** The RCPT command. */
    RCPT,
    /** The end of the message data. */
    END_OF_DATA
  }

  /**
   * A public page a persona rests on.
   *
   * @param id the id persona files cite it by
   * @param url its address
   * @param title its title, saying whose page it is
   */
  public record Source(String id, String url, String title) {}

  /**
   * A setting of the double a persona makes, such as {@code hostname} or {@code size-limit}.
   *
   * @param key the setting
   * @param values its values
   * @param sources the ids of the sources it rests on
   * @param note what the source says beyond the value, or empty
   */
  public record Setting(String key, List<String> values, List<String> sources, String note) {
    /**
     * Copies the lists.
     *
     * @param key the setting
     * @param values its values
     * @param sources the source ids
     * @param note the note
     */
    public Setting {
      values = List.copyOf(values);
      sources = List.copyOf(sources);
    }
  }

  /**
   * A reply the provider sends, exactly as its source shows it, with the provider's meaning.
   *
   * @param id the id persona files refer to it by
   * @param reply the code and lines; <code>{sender}</code> stands for the MAIL FROM address
   * @param meaning what the provider says it means and what the client should do
   * @param sources the ids of the sources it rests on
   * @param note how the double's text differs from the source's, or empty
   */
  public record Quote(String id, Reply reply, String meaning, List<String> sources, String note) {
    /**
     * Copies the list.
     *
     * @param id the id
     * @param reply the reply
     * @param meaning the meaning
     * @param sources the source ids
     * @param note the note
     */
    public Quote {
      sources = List.copyOf(sources);
    }
  }

  /**
   * A stateful limit the double carries out: beyond {@code count} in the window, the command at
   * {@code point} gets the reply {@code reply}. Counts are kept per authenticated user (one count
   * for all when clients do not authenticate), over the double's whole life until {@code reset()}.
   *
   * @param name the limit's name, by which tests change it
   * @param counts what it counts
   * @param count how many are allowed; 0 refuses every one
   * @param window the rolling time window; {@link Duration#ZERO} for none (for all time)
   * @param point where it refuses
   * @param reply the id of the reply it refuses with
   * @param sources the ids of the sources it rests on
   * @param note what the sources say beyond the numbers, or empty
   */
  public record Limit(
      String name,
      Counts counts,
      int count,
      Duration window,
      Point point,
      String reply,
      List<String> sources,
      String note) {
    /**
     * Checks and copies.
     *
     * @param name the name
     * @param counts what it counts
     * @param count the number allowed
     * @param window the window, or null or zero for none
     * @param point where it refuses
     * @param reply the reply's id
     * @param sources the source ids
     * @param note the note
     * @throws IllegalArgumentException for a negative count or window, or a connection limit
     *     that is not at MAIL
     */
    public Limit {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(counts, "counts");
      window = window == null ? Duration.ZERO : window;
      if (count < 0 || window.isNegative()) {
        throw new IllegalArgumentException("a limit's count and window cannot be negative");
      }
      if (counts == Counts.CONNECTIONS && point != Point.MAIL) {
        throw new IllegalArgumentException("a connection limit acts at mail");
      }
      sources = List.copyOf(sources);
    }

    /**
     * The limit as the script language writes it after {@code limit}: {@code sending-rate 1 per
     * 1s}.
     *
     * @return the text
     */
    @Override
    public String toString() {
      return name + " " + count + (window.isZero() ? "" : " per " + format(window));
    }
  }

  /**
   * A named situation a test switches on: rules (in the script language) and limits.
   *
   * @param name the name, as in {@code persona m365-submission with throttling}
   * @param description what it does
   * @param rules its rules, with <code>{reply-id}</code> standing for a reply's code and text
   * @param limits its limits
   */
  public record Situation(String name, String description, List<String> rules, List<Limit> limits) {
    /**
     * Copies the lists.
     *
     * @param name the name
     * @param description the description
     * @param rules the rules
     * @param limits the limits
     */
    public Situation {
      rules = List.copyOf(rules);
      limits = List.copyOf(limits);
    }
  }

  private final String name;
  private final String title;
  private final int version;
  private final LocalDate dated;
  private final List<Source> sources;
  private final List<Setting> settings;
  private final Map<String, Quote> replies;
  private final Map<String, String> uses;
  private final List<Limit> baseLimits;
  private final Map<String, Situation> situations;
  private final List<String> missing;
  private final Set<String> active;
  private final double factor;
  private final Map<String, Limit> overrides;

  private Persona(PersonaFile file) {
    this(
        file.name,
        file.title,
        file.version,
        file.dated,
        List.copyOf(file.sources.values()),
        List.copyOf(file.settings),
        Collections.unmodifiableMap(new LinkedHashMap<>(file.replies)),
        Collections.unmodifiableMap(new LinkedHashMap<>(file.uses)),
        List.copyOf(file.limits),
        Collections.unmodifiableMap(new LinkedHashMap<>(file.situations)),
        List.copyOf(file.missing),
        Set.of(),
        1.0,
        Map.of());
  }

  private Persona(
      String name,
      String title,
      int version,
      LocalDate dated,
      List<Source> sources,
      List<Setting> settings,
      Map<String, Quote> replies,
      Map<String, String> uses,
      List<Limit> baseLimits,
      Map<String, Situation> situations,
      List<String> missing,
      Set<String> active,
      double factor,
      Map<String, Limit> overrides) {
    this.name = name;
    this.title = title;
    this.version = version;
    this.dated = dated;
    this.sources = sources;
    this.settings = settings;
    this.replies = replies;
    this.uses = uses;
    this.baseLimits = baseLimits;
    this.situations = situations;
    this.missing = missing;
    this.active = active;
    this.factor = factor;
    this.overrides = overrides;
  }

  /**
   * The persona of this name, as its file in smtp-double describes it.
   *
   * @param name such as {@code "ses-smtp"}
   * @return the persona, no situation switched on, limits as published
   * @throws IllegalArgumentException when there is no such persona (the message lists them)
   */
  public static Persona named(String name) {
    PersonaFile file = PersonaFile.load(Objects.requireNonNull(name, "name"));
    if (file == null || !NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "no persona named '" + name + "'; there are " + String.join(", ", NAMES));
    }
    return new Persona(file);
  }

  /**
   * The names of the personas smtp-double knows.
   *
   * @return the names, such as {@code gmail-submission}
   */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Every persona smtp-double knows, as published.
   *
   * @return the personas
   */
  public static List<Persona> all() {
    return List.of(GMAIL_SUBMISSION, M365_SUBMISSION, SES_SMTP, GMAIL_MX);
  }

  /**
   * Reads what follows {@code persona} in the script language: a name, then optionally {@code
   * with SITUATION, SITUATION}, {@code limits xFACTOR} and any number of {@code limit NAME N [per
   * DURATION]}.
   *
   * <pre>{@code
   * Persona p = Persona.parse("m365-submission with throttling limits x0.001");
   * }</pre>
   *
   * @param spec the text after {@code persona}
   * @return the persona
   * @throws ScriptException naming the column (counted in {@code spec}) and what was expected
   */
  public static Persona parse(String spec) {
    return PersonaSpec.parse(spec);
  }

  static String limitNames(Persona persona) {
    List<String> names = new ArrayList<>();
    persona.limits().forEach(l -> names.add(l.name()));
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  private static String format(Duration window) {
    long ms = window.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  /**
   * This persona with situations switched on, in addition to those already on.
   *
   * @param names the situations, such as {@code "throttling"}
   * @return a new persona
   * @throws IllegalArgumentException for a situation this persona does not have
   */
  public Persona with(String... names) {
    Set<String> on = new LinkedHashSet<>(active);
    for (String situation : names) {
      if (!situations.containsKey(situation)) {
        throw new IllegalArgumentException(
            name + " has no situation '" + situation + "'; it has "
                + String.join(", ", situations.keySet()));
      }
      on.add(situation);
    }
    return copy(Collections.unmodifiableSet(on), factor, overrides);
  }

  /**
   * This persona with every limit that has a time window scaled by a factor, so a test reaches
   * it quickly: {@code scaledLimits(0.001)} turns 2,000 a day into 2 a day. A scaled limit is at
   * least 1 (0 stays 0); connection limits are not scaled.
   *
   * @param factor greater than 0
   * @return a new persona
   * @throws IllegalArgumentException for a factor not above 0
   */
  public Persona scaledLimits(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("the factor must be above 0, but was " + factor);
    }
    return copy(active, factor, overrides);
  }

  /**
   * This persona with one limit set explicitly; it overrides any scaling.
   *
   * <pre>{@code
   * Persona.SES_SMTP.limit("sending-rate", 2, Duration.ofMillis(200))
   * }</pre>
   *
   * @param limitName the limit's name, as {@link #limits()} lists it
   * @param count how many are allowed
   * @param window the rolling window, or null to keep the published one
   * @return a new persona
   * @throws IllegalArgumentException for an unknown limit or a negative number
   */
  public Persona limit(String limitName, int count, Duration window) {
    Limit base = null;
    for (Limit limit : limits()) {
      if (limit.name().equals(limitName)) {
        base = limit;
      }
    }
    if (base == null) {
      throw new IllegalArgumentException(
          name + " has no limit '" + limitName + "'; it has " + limitNames(this));
    }
    if (window != null && base.counts() == Counts.CONNECTIONS) {
      throw new IllegalArgumentException("a connection limit has no time window");
    }
    Limit changed =
        new Limit(
            base.name(),
            base.counts(),
            count,
            window == null ? base.window() : window,
            base.point(),
            base.reply(),
            base.sources(),
            base.note());
    Map<String, Limit> next = new LinkedHashMap<>(overrides);
    next.put(limitName, changed);
    return copy(active, factor, Map.copyOf(next));
  }

  private Persona copy(Set<String> on, double scale, Map<String, Limit> changed) {
    return new Persona(
        name, title, version, dated, sources, settings, replies, uses, baseLimits, situations,
        missing, on, scale, changed);
  }

  /**
   * The name, such as {@code ses-smtp}.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * What it stands in for.
   *
   * @return the title
   */
  public String title() {
    return title;
  }

  /**
   * The persona file's version; it goes up when a provider's behaviour or pages change.
   *
   * @return the version
   */
  public int version() {
    return version;
  }

  /**
   * When the sources were last read.
   *
   * @return the date
   */
  public LocalDate dated() {
    return dated;
  }

  /**
   * The public pages it rests on, the provider's own first.
   *
   * @return the sources
   */
  public List<Source> sources() {
    return sources;
  }

  /**
   * A source by its id.
   *
   * @param id the id
   * @return the source, or empty
   */
  public Optional<Source> source(String id) {
    return sources.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /**
   * The settings it makes: {@code hostname}, {@code tls}, {@code auth}, {@code auth-required},
   * {@code auth-needs-tls}, {@code extensions}, {@code size-limit}, {@code max-recipients}.
   *
   * @return the settings
   */
  public List<Setting> settings() {
    return settings;
  }

  /**
   * A setting by its key.
   *
   * @param key such as {@code "size-limit"}
   * @return the setting, or empty when the persona leaves it to the double's default
   */
  public Optional<Setting> setting(String key) {
    return settings.stream().filter(s -> s.key().equals(key)).findFirst();
  }

  /**
   * The provider's replies it knows, each with its meaning and sources.
   *
   * @return the replies, by id
   */
  public List<Quote> replies() {
    List<Quote> all = new ArrayList<>(replies.values());
    all.sort((a, b) -> a.id().compareTo(b.id()));
    return all;
  }

  /**
   * A reply by its id.
   *
   * @param id such as {@code "rate-exceeded"}
   * @return the reply, or empty
   */
  public Optional<Quote> reply(String id) {
    return Optional.ofNullable(replies.get(id));
  }

  /**
   * The provider reply a sent reply is, matched by code and text.
   *
   * @param sent a reply the double sent
   * @return the provider's reply, or empty when the reply is not one of this persona's
   */
  public Optional<Quote> quoteOf(Reply sent) {
    for (Quote quote : replies.values()) {
      if (quote.reply().code() == sent.code() && matches(quote.reply().lines(), sent.lines())) {
        return Optional.of(quote);
      }
    }
    return Optional.empty();
  }

  static boolean matches(List<String> pattern, List<String> lines) {
    if (pattern.size() != lines.size()) {
      return false;
    }
    for (int i = 0; i < pattern.size(); i++) {
      String[] parts = pattern.get(i).split("\\{sender\\}", -1);
      String line = lines.get(i);
      boolean same =
          parts.length == 1
              ? line.equals(parts[0])
              : line.startsWith(parts[0]) && line.endsWith(parts[parts.length - 1]);
      if (!same) {
        return false;
      }
    }
    return true;
  }

  /**
   * The standard replies of the double this persona replaces, by name ({@code greeting}, {@code
   * ehlo}, {@code ehlo-secure}, {@code auth-failed}, {@code tls-required}, {@code bye}, ...).
   *
   * @return the replacements
   */
  public Map<String, Reply> replacements() {
    Map<String, Reply> out = new LinkedHashMap<>();
    uses.forEach((standard, id) -> out.put(standard, replies.get(id).reply()));
    return Map.copyOf(out);
  }

  /**
   * The limits in force: the published ones, scaled and changed as asked, and those of the
   * situations switched on.
   *
   * @return the limits
   */
  public List<Limit> limits() {
    List<Limit> all = new ArrayList<>();
    List<Limit> candidates = new ArrayList<>(baseLimits);
    for (String on : active) {
      candidates.addAll(situations.get(on).limits());
    }
    for (Limit limit : candidates) {
      Limit changed = overrides.get(limit.name());
      all.add(changed != null ? changed : scaled(limit));
    }
    return List.copyOf(all);
  }

  private Limit scaled(Limit limit) {
    if (factor == 1.0 || limit.window().isZero() || limit.count() == 0) {
      return limit;
    }
    int count = (int) Math.max(1, Math.round(limit.count() * factor));
    return new Limit(
        limit.name(), limit.counts(), count, limit.window(), limit.point(), limit.reply(),
        limit.sources(), limit.note());
  }

  /**
   * The situations a test can switch on.
   *
   * @return the situations
   */
  public List<Situation> situations() {
    return List.copyOf(situations.values());
  }

  /**
   * The situations switched on.
   *
   * @return their names
   */
  public Set<String> activeSituations() {
    return active;
  }

  /**
   * The rules of the situations switched on, in the script language with the provider's replies
   * filled in; a double started with this persona starts with them.
   *
   * @return the rules
   */
  public List<Rule> rules() {
    List<Rule> rules = new ArrayList<>();
    for (String on : active) {
      for (String rule : situations.get(on).rules()) {
        rules.add(Rule.parse(PersonaFile.expand(rule, replies)));
      }
    }
    return List.copyOf(rules);
  }

  /**
   * What the persona leaves out because no public source gives it.
   *
   * @return one sentence each
   */
  public List<String> missing() {
    return missing;
  }

  /**
   * The persona as the script language writes it after {@code persona}: {@code ses-smtp with
   * throttling limits x0.001}.
   *
   * @return the text, which {@link #parse(String)} reads back
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(name);
    if (!active.isEmpty()) {
      out.append(" with ").append(String.join(", ", active));
    }
    if (factor != 1.0) {
      out.append(" limits x")
          .append(BigDecimal.valueOf(factor).stripTrailingZeros().toPlainString());
    }
    overrides.values().forEach(l -> out.append(" limit ").append(l));
    return out.toString();
  }

  /**
   * Equal when the name, the situations switched on and the limits are.
   *
   * @param other the other object
   * @return whether equal
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof Persona p
        && p.name.equals(name)
        && p.active.equals(active)
        && p.factor == factor
        && p.overrides.equals(overrides);
  }

  /**
   * A hash of what {@link #equals} compares.
   *
   * @return the hash
   */
  @Override
  public int hashCode() {
    return Objects.hash(name, active, factor, overrides);
  }
}
