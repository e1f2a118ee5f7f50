package dev.smtpdouble.internal.script;

import dev.smtpdouble.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rules in force and their match counts. Matching a command counts it for every rule whose
 * trigger and pattern match, then picks, per phase, the newest rule whose count covers its match
 * number (SPEC §4 and §8). Rules are indexed by trigger, so a command only looks at its own rules:
 * fifty rules on other verbs cost nothing.
 *
 * <p>Thread-safe: sessions match concurrently while tests add rules. Adding swaps an immutable
 * index; matching reads it without locking.
 */
public final class RuleBook {

  /** A rule in the book with its count; the handle through which a rule builder updates it. */
  public static final class Entry {
    private volatile Rule rule;
    private final AtomicInteger matches = new AtomicInteger();
    private volatile boolean acted;
    private final int generation;

    private Entry(Rule rule, int generation) {
      this.rule = rule;
      this.generation = generation;
    }

    /**
     * The rule as it is now.
     *
     * @return the rule
     */
    public Rule rule() {
      return rule;
    }

    /** The rule was carried out: it is no longer {@linkplain RuleBook#unused() unused}. */
    void acted() {
      acted = true;
    }
  }

  /** The winners of one match: the rule acting instead of the reply and the one acting after. */
  private record Winners(Entry to, Entry after) {}

  private final Object lock = new Object();
  private final List<Rule> initial;
  private List<Entry> entries = new ArrayList<>();
  private int generation;
  private volatile Map<String, Entry[]> byTrigger = Map.of();

  /**
   * A book holding the rules the double starts with.
   *
   * @param initial the rules from the builder, kept across {@link #reset()}
   */
  public RuleBook(List<Rule> initial) {
    this.initial = List.copyOf(initial);
    reset();
  }

  /**
   * Adds a rule; it is the newest.
   *
   * @param rule the rule
   * @return its entry, through which it can be replaced
   */
  public Entry add(Rule rule) {
    synchronized (lock) {
      return addNewest(rule);
    }
  }

  /**
   * Adds a rule on behalf of a rule builder obtained in the given generation (see {@link
   * #generation()}); it is the newest.
   *
   * @param rule the rule
   * @param since the generation the builder was obtained in
   * @return its entry, through which it can be replaced
   * @throws IllegalStateException when {@link #reset()} was called since
   */
  public Entry add(Rule rule, int since) {
    synchronized (lock) {
      checkGeneration(since);
      return addNewest(rule);
    }
  }

  private Entry addNewest(Rule rule) {
    Entry entry = new Entry(rule, generation);
    entries.add(entry);
    reindex();
    return entry;
  }

  /**
   * How many times {@link #reset()} has been called: a rule builder remembers it, so that one
   * kept across a reset fails instead of updating a rule that is gone.
   *
   * @return the generation
   */
  public int generation() {
    synchronized (lock) {
      return generation;
    }
  }

  /**
   * Replaces a rule in place: same age, same count so far. The trigger must stay the same.
   *
   * @param entry the entry from {@link #add}
   * @param rule the new rule
   * @throws IllegalStateException when {@link #reset()} removed the entry's rule
   */
  public void replace(Entry entry, Rule rule) {
    synchronized (lock) {
      checkGeneration(entry.generation);
      if (!entry.rule.trigger().equals(rule.trigger())) {
        throw new IllegalArgumentException("a rule's trigger cannot change");
      }
      entry.rule = rule;
    }
  }

  /**
   * Counts a command and plans what the rules that act on it do.
   *
   * @param verb the verb, upper case, or {@code CONNECT}
   * @param subject the address, argument or client IP the patterns match
   * @return the plan; {@link Plan#NONE} when no rule acts
   */
  public Plan plan(String verb, String subject) {
    Winners winners = match(verb, subject);
    return winners == null ? Plan.NONE : Plan.command(winners.to, winners.after);
  }

  /**
   * Counts a DATA command and plans what the rules do to it and to the end of its data.
   *
   * @param argument the argument (normally empty)
   * @return the plan
   */
  public Plan planData(String argument) {
    Winners winners = match("DATA", argument);
    return winners == null ? Plan.NONE : Plan.data(winners.to, winners.after);
  }

  /**
   * Counts a BDAT command and plans what the rules do to its chunk.
   *
   * @param argument the argument, such as {@code 100 LAST}
   * @param last whether it is the LAST chunk
   * @return the plan
   */
  public Plan planChunk(String argument, boolean last) {
    Winners winners = match("BDAT", argument);
    return winners == null ? Plan.NONE : Plan.chunk(winners.to, winners.after, last);
  }

  /** Counts a command and picks the newest covered rule of each phase; null when none. */
  private Winners match(String verb, String subject) {
    Entry[] candidates = byTrigger.get(verb);
    if (candidates == null) {
      return null;
    }
    Entry toEntry = null;
    Entry afterEntry = null;
    // newest first: the first covered rule of each phase wins, but every match is counted
    for (int i = candidates.length - 1; i >= 0; i--) {
      Entry entry = candidates[i];
      Rule rule = entry.rule;
      if (!rule.matches(verb, subject)) {
        continue;
      }
      int n = entry.matches.incrementAndGet();
      if (!rule.count().covers(n)) {
        continue;
      }
      if (rule.phase() == Rule.Phase.TO) {
        if (toEntry == null) {
          toEntry = entry;
        }
      } else if (afterEntry == null) {
        afterEntry = entry;
      }
    }
    return toEntry == null && afterEntry == null ? null : new Winners(toEntry, afterEntry);
  }

  /**
   * The rules in force, oldest first.
   *
   * @return the rules
   */
  public List<Rule> rules() {
    synchronized (lock) {
      List<Rule> rules = new ArrayList<>(entries.size());
      for (Entry entry : entries) {
        rules.add(entry.rule);
      }
      return List.copyOf(rules);
    }
  }

  /**
   * The rules that have not acted yet, oldest first.
   *
   * @return the rules
   */
  public List<Rule> unused() {
    synchronized (lock) {
      List<Rule> rules = new ArrayList<>();
      for (Entry entry : entries) {
        if (!entry.acted) {
          rules.add(entry.rule);
        }
      }
      return List.copyOf(rules);
    }
  }

  private void checkGeneration(int since) {
    if (since != generation) {
      throw new IllegalStateException(
          "this rule builder was obtained before reset(), which removed the rules added with"
              + " on(...) and after(...): start the rule again with on(...) or after(...) after"
              + " the reset");
    }
  }

  /** Back to the initial rules with every count at zero; rule builders obtained before go stale. */
  public void reset() {
    synchronized (lock) {
      generation++;
      entries = new ArrayList<>();
      for (Rule rule : initial) {
        entries.add(new Entry(rule, generation));
      }
      reindex();
    }
  }

  private void reindex() {
    Map<String, List<Entry>> grouped = new HashMap<>();
    for (Entry entry : entries) {
      grouped.computeIfAbsent(entry.rule.trigger(), k -> new ArrayList<>()).add(entry);
    }
    Map<String, Entry[]> index = new HashMap<>();
    grouped.forEach((trigger, list) -> index.put(trigger, list.toArray(new Entry[0])));
    byTrigger = Map.copyOf(index);
  }
}
