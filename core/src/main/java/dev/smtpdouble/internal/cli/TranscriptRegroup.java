package dev.smtpdouble.internal.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the live transcript.log into the rendering of {@code Transcript.toString()} on a clean
 * stop, reading it from disk rather than keeping the transcript in memory.
 *
 * <p>The live file is written as things happen: each session's header (ending {@code (open)}),
 * its lines, a {@code === session N (continued)} line where sessions take turns, and a {@code ===
 * session N ended (HOW)} line when it ends. The regrouped file has each session once, in session
 * order, its lines together under a header that tells how it ended. A first pass reads the endings;
 * the second writes the session it is at straight through and parks the lines of later sessions
 * in one temporary file each until their turn, so memory stays small whatever the size.
 */
final class TranscriptRegroup {
  static final String PREFIX = "=== session ";
  private static final Pattern MARK =
      Pattern.compile("=== session (\\d+)(?:( from .*) \\(open\\)| \\(continued\\)| ended \\((.*)\\))");

  private final Path live;
  private final Path spoolFolder;
  private int[] numbers = new int[64];
  private int count;
  private final List<String> labels = new ArrayList<>();
  private final Map<Integer, Integer> endings = new HashMap<>();
  private final Map<Integer, Writer> spools = new HashMap<>();
  /** Sessions whose end the second pass has read but that were not written out yet. */
  private final java.util.Set<Integer> endedSoFar = new java.util.HashSet<>();

  private TranscriptRegroup(Path live, Path spoolFolder) {
    this.live = live;
    this.spoolFolder = spoolFolder;
  }

  /**
   * Regroups {@code live} into {@code target}.
   *
   * @param live the live transcript file
   * @param target the file to write (replaced)
   * @param spoolFolder a folder for temporary files, created and removed here
   * @throws IOException when reading or writing fails
   */
  static void regroup(Path live, Path target, Path spoolFolder) throws IOException {
    TranscriptRegroup regroup = new TranscriptRegroup(live, spoolFolder);
    regroup.readMarks();
    Files.createDirectories(spoolFolder);
    try {
      regroup.write(target);
    } finally {
      try (var spools = Files.list(spoolFolder)) {
        for (Path spool : (Iterable<Path>) spools::iterator) {
          Files.deleteIfExists(spool);
        }
      }
      Files.deleteIfExists(spoolFolder);
    }
  }

  private void readMarks() throws IOException {
    try (BufferedReader in = Files.newBufferedReader(live, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.startsWith(PREFIX)) {
          continue;
        }
        Matcher m = MARK.matcher(line);
        if (!m.matches()) {
          continue;
        }
        int number = Integer.parseInt(m.group(1));
        if (m.group(2) != null) {
          if (count == numbers.length) {
            numbers = Arrays.copyOf(numbers, count * 2);
          }
          numbers[count++] = number;
        } else if (m.group(3) != null) {
          int label = labels.indexOf(m.group(3));
          if (label < 0) {
            labels.add(m.group(3));
            label = labels.size() - 1;
          }
          endings.put(number, label);
        }
      }
    }
    numbers = Arrays.copyOf(numbers, count);
    Arrays.sort(numbers);
  }

  private void write(Path target) throws IOException {
    int turn = 0; // index into numbers of the session written straight through
    try (BufferedReader in = Files.newBufferedReader(live, StandardCharsets.UTF_8);
        Writer out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      String line;
      int current = -1;
      while ((line = in.readLine()) != null) {
        if (line.startsWith(PREFIX)) {
          Matcher m = MARK.matcher(line);
          if (m.matches()) {
            current = Integer.parseInt(m.group(1));
            if (m.group(2) != null) {
              Integer label = endings.get(current);
              line = PREFIX + current + m.group(2) + " (" + (label == null ? "open" : labels.get(label)) + ")";
            } else {
              if (m.group(3) != null) {
                endedSoFar.add(current);
                Writer spool = spools.remove(current);
                if (spool != null) {
                  spool.close();
                }
                if (turn < count && numbers[turn] == current) {
                  endedSoFar.remove(current);
                  turn = next(turn, out);
                }
              }
              continue;
            }
          }
        }
        if (current < 0) {
          continue; // nothing before the first header
        }
        if (turn < count && numbers[turn] == current || turn >= count || current < numbers[turn]) {
          out.write(line);
          out.write('\n');
        } else {
          Writer spool = spools.get(current);
          if (spool == null) {
            spool =
                Files.newBufferedWriter(
                    spool(current), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            spools.put(current, spool);
          }
          spool.write(line);
          spool.write('\n');
        }
      }
      for (Writer spool : spools.values()) {
        spool.close();
      }
      spools.clear();
      // sessions that never ended (the file was cut short): in order, as far as they went
      while (turn < count) {
        turn = next(turn, out);
      }
    } finally {
      for (Writer spool : spools.values()) {
        spool.close();
      }
    }
  }

  /**
   * The session at {@code turn} is complete: copies the parked lines of the following sessions,
   * as long as they are complete too, and returns the index of the first one still going on.
   */
  private int next(int turn, Writer out) throws IOException {
    turn++;
    while (turn < count) {
      int number = numbers[turn];
      Path spool = spool(number);
      Writer open = spools.remove(number);
      if (open != null) {
        open.close();
      }
      if (Files.exists(spool)) {
        try (BufferedReader parked = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
          parked.transferTo(out);
        }
        Files.delete(spool);
      }
      if (!endedSoFar.remove(number)) {
        return turn; // still going on: its next lines go straight through
      }
      turn++;
    }
    return turn;
  }

  private Path spool(int number) {
    return spoolFolder.resolve(number + ".part");
  }
}
