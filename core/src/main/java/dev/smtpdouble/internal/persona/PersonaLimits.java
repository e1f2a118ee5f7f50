package dev.smtpdouble.internal.persona;

import dev.smtpdouble.Persona;
import dev.smtpdouble.Reply;
import dev.smtpdouble.internal.protocol.EncodedReply;
import dev.smtpdouble.internal.protocol.Limits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A persona's stateful limits, carried out for one double: concurrent connections per user, and
 * messages or recipients per user in a rolling time window. Time comes from a clock the caller
 * gives (nanoseconds, as {@link System#nanoTime()}), so unit tests drive it without sleeping.
 *
 * <p>Counts are kept per authenticated user, or one count for everyone when clients do not
 * authenticate. A message counts once it was accepted at the end of its data. Thread-safe: one
 * lock, held only while counting.
 */
public final class PersonaLimits implements Limits {
  private final List<Persona.Limit> limits;
  private final Map<String, Reply> replies = new HashMap<>();
  private final LongSupplier clock;
  private final Object lock = new Object();
  private final Map<String, ArrayDeque<Long>> windows = new HashMap<>();
  private final Map<String, LinkedHashSet<Object>> sessionsOf = new HashMap<>();
  private final Map<Object, String> userOf = new HashMap<>();

  /**
   * The limits of a persona, timed by a clock.
   *
   * @param persona the persona, with its scaling and situations
   * @param clock the time in nanoseconds, as {@link System#nanoTime()}
   */
  public PersonaLimits(Persona persona, LongSupplier clock) {
    this.limits = persona.limits();
    for (Persona.Limit limit : limits) {
      replies.put(limit.reply(), persona.reply(limit.reply()).orElseThrow().reply());
    }
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Whether there is anything to carry out.
   *
   * @return false when the persona has no limits
   */
  public boolean isEmpty() {
    return limits.isEmpty();
  }

  @Override
  public void authenticated(Object session, String user) {
    synchronized (lock) {
      String previous = userOf.put(session, user);
      if (previous != null) {
        sessionsOf.get(previous).remove(session);
      }
      sessionsOf.computeIfAbsent(user, u -> new LinkedHashSet<>()).add(session);
    }
  }

  @Override
  public void ended(Object session) {
    synchronized (lock) {
      String user = userOf.remove(session);
      if (user != null) {
        LinkedHashSet<Object> sessions = sessionsOf.get(user);
        sessions.remove(session);
        if (sessions.isEmpty()) {
          sessionsOf.remove(user);
        }
      }
    }
  }

  @Override
  public EncodedReply atMail(Object session, String user, String sender, EncodedReply accept) {
    synchronized (lock) {
      long now = clock.getAsLong();
      for (Persona.Limit limit : limits) {
        if (limit.point() != Persona.Point.MAIL) {
          continue;
        }
        boolean over =
            limit.counts() == Persona.Counts.CONNECTIONS
                ? rank(session, user) >= limit.count()
                : used(limit, user, now) >= limit.count();
        if (over) {
          return refusal(limit, sender);
        }
      }
      return accept;
    }
  }

  @Override
  public EncodedReply atRcpt(
      Object session, String user, String recipient, int accepted, EncodedReply accept) {
    synchronized (lock) {
      long now = clock.getAsLong();
      for (Persona.Limit limit : limits) {
        if (limit.point() == Persona.Point.RCPT && used(limit, user, now) >= limit.count()) {
          return refusal(limit, "");
        }
      }
      return accept;
    }
  }

  @Override
  public EncodedReply atEndOfData(
      Object session, String user, String sender, List<String> recipients, EncodedReply accept) {
    synchronized (lock) {
      long now = clock.getAsLong();
      for (Persona.Limit limit : limits) {
        if (limit.point() == Persona.Point.END_OF_DATA
            && limit.counts() != Persona.Counts.CONNECTIONS
            && used(limit, user, now) + amount(limit, recipients) > limit.count()) {
          return refusal(limit, sender);
        }
      }
      for (Persona.Limit limit : limits) {
        if (limit.counts() != Persona.Counts.CONNECTIONS) {
          ArrayDeque<Long> times =
              windows.computeIfAbsent(key(limit, user), k -> new ArrayDeque<>());
          for (int i = amount(limit, recipients); i > 0; i--) {
            times.addLast(now);
          }
        }
      }
      return accept;
    }
  }

  @Override
  public void reset() {
    synchronized (lock) {
      windows.clear();
    }
  }

  /** This session's place among its user's open sessions: 0 for the first (and unauthenticated). */
  private int rank(Object session, String user) {
    LinkedHashSet<Object> sessions = sessionsOf.get(user);
    if (sessions == null || !sessions.contains(session)) {
      return 0;
    }
    int rank = 0;
    for (Object each : sessions) {
      if (each == session) {
        return rank;
      }
      rank++;
    }
    return rank;
  }

  /** How much of a window limit is used now: its entries younger than the window. */
  private int used(Persona.Limit limit, String user, long now) {
    ArrayDeque<Long> times = windows.get(key(limit, user));
    if (times == null) {
      return 0;
    }
    if (!limit.window().isZero()) {
      long window = limit.window().toNanos();
      while (!times.isEmpty() && now - times.peekFirst() >= window) {
        times.removeFirst();
      }
    }
    return times.size();
  }

  private static int amount(Persona.Limit limit, List<String> recipients) {
    return limit.counts() == Persona.Counts.RECIPIENTS ? recipients.size() : 1;
  }

  private static String key(Persona.Limit limit, String user) {
    return limit.name() + '\0' + user;
  }

  private EncodedReply refusal(Persona.Limit limit, String sender) {
    Reply reply = replies.get(limit.reply());
    List<String> lines = new ArrayList<>(reply.lines().size());
    for (String line : reply.lines()) {
      lines.add(line.replace("{sender}", sender));
    }
    return EncodedReply.of(reply.code(), lines);
  }
}
