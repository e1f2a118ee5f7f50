package dev.smtpdouble.internal.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * What a double keeps of one kind of record (messages, violations): everything by default, or only
 * the newest {@code limit}, the oldest dropped first. Records keep their absolute position (the
 * first record ever is 0), so a reader that walks them in order can tell when the next one it
 * wants was dropped. Not thread-safe: the double guards it with its lock.
 *
 * @param <T> the record type
 */
public final class Kept<T> {
  private final int limit;
  private final List<T> items = new ArrayList<>();
  private int head;
  private long total;

  /**
   * An empty store.
   *
   * @param limit how many records to keep at most; {@link Integer#MAX_VALUE} for all
   */
  public Kept(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit cannot be negative: " + limit);
    }
    this.limit = limit;
  }

  /**
   * Adds a record, dropping the oldest kept one when the limit is reached.
   *
   * @param item the record
   */
  public void add(T item) {
    total++;
    if (limit == 0) {
      return;
    }
    if (items.size() - head < limit) {
      items.add(item);
    } else {
      items.set(head, null);
      items.add(item);
      head++;
    }
    if (head > 64 && head * 2 > items.size()) {
      items.subList(0, head).clear();
      head = 0;
    }
  }

  /**
   * How many records were added since the start or the last {@link #clear()}.
   *
   * @return the count, kept or not
   */
  public long total() {
    return total;
  }

  /**
   * How many records were dropped to stay within the limit.
   *
   * @return the count
   */
  public long dropped() {
    return total - size();
  }

  /**
   * How many records are kept.
   *
   * @return the count
   */
  public int size() {
    return items.size() - head;
  }

  /**
   * The record at an absolute position.
   *
   * @param position 0 for the first record ever added
   * @return the record, or null when it was dropped (or is not there yet)
   */
  public T at(long position) {
    long first = dropped();
    if (position < first || position >= total) {
      return null;
    }
    return items.get(head + (int) (position - first));
  }

  /**
   * The kept records, oldest first, as an immutable copy.
   *
   * @return the records
   */
  public List<T> snapshot() {
    return List.copyOf(items.subList(head, items.size()));
  }

  /** Forgets every record and the counts. */
  public void clear() {
    items.clear();
    head = 0;
    total = 0;
  }
}
