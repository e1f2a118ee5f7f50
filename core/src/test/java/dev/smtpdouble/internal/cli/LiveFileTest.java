package dev.smtpdouble.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file the writer thread fills: every line in order, more than its in-memory limit included;
 * a line asked for at once reaches the disk while the file is open; a write error is told once and
 * never blocks the writers; closing stops the thread.
 */
@Timeout(30)
class LiveFileTest {
  @TempDir Path folder;

  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

  private static boolean writerAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("smtp-double-writer-" + name) && t.isAlive());
  }

  @Test
  void everyLineArrivesInOrderEvenPastTheMemoryLimit() throws IOException {
    Path file = folder.resolve("lines.log");
    List<String> expected = new ArrayList<>();
    String filler = "y".repeat(1000);
    try (LiveFile live = new LiveFile(file, (path, e) -> problems.add(e.getMessage()))) {
      // about twice LIMIT: writers wait for the disk now and then, and nothing is lost
      for (int i = 0; i < 2 * LiveFile.LIMIT / 1000; i++) {
        String line = i + " " + filler;
        live.append(line);
        expected.add(line);
      }
    }
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(problems).isEmpty();
    assertThat(writerAlive("lines.log")).isFalse();
  }

  @Test
  void aLineAskedForAtOnceIsOnDiskWhileTheFileIsOpen() throws IOException {
    Path file = folder.resolve("now.log");
    try (LiveFile live = new LiveFile(file, (path, e) -> problems.add(e.getMessage()))) {
      live.append("first");
      live.append("=== session 1 ended (client sent QUIT)", true);

      assertThat(Tools.awaitContent(file, "ended"))
          .isEqualTo("first\n=== session 1 ended (client sent QUIT)\n");
    }
  }

  @Test
  void aWriteErrorIsToldOnceAndNeverBlocksTheWriters() throws IOException {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.exists(full), "/dev/full (a device whose writes fail) exists on Linux only");
    Path file = folder.resolve("full.log");
    Files.createSymbolicLink(file, full);

    LiveFile live = new LiveFile(file, (path, e) -> problems.add(path + ": " + e.getMessage()));
    for (int i = 0; i < 4 * LiveFile.LIMIT / 1000; i++) {
      live.append("x".repeat(1000), i % 100 == 0);
    }
    assertThatThrownBy(live::close).isInstanceOf(IOException.class).hasMessage("No space left on device");
    assertThat(problems).containsExactly(file + ": No space left on device");
    assertThat(writerAlive("full.log")).isFalse();
  }
}
