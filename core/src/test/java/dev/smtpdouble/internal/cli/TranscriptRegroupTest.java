package dev.smtpdouble.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regrouping the live transcript.log from disk: sessions that took turns come out whole, in
 * session order, under headers that tell how each ended; the temporary files are gone afterwards.
 */
@Timeout(30)
class TranscriptRegroupTest {
  @TempDir Path folder;

  private String regroup(String live) throws IOException {
    Path in = folder.resolve("live.log");
    Path out = folder.resolve("out.log");
    Files.writeString(in, live, StandardCharsets.UTF_8);
    TranscriptRegroup.regroup(in, out, folder.resolve("spool"));
    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("live.log", "out.log");
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void sessionsThatTookTurnsComeOutWholeAndInOrder() throws IOException {
    String live =
        String.join(
            "\n",
            "=== session 1 from 127.0.0.1:1001 at T1 (open)",
            "S: 220 one",
            "=== session 2 from 127.0.0.1:1002 at T2 (open)",
            "S: 220 two",
            "=== session 3 from 127.0.0.1:1003 at T3 (open)",
            "S: 220 three",
            "C: QUIT",
            "=== session 3 ended (client sent QUIT)",
            "=== session 1 (continued)",
            "C: EHLO one",
            "=== session 2 (continued)",
            "C: HELO two",
            "=== session 2 ended (connection lost)",
            "=== session 1 (continued)",
            "C: NOOP",
            "=== session 1 ended (idle timeout)",
            "=== session 4 from 127.0.0.1:1004 at T4 (open)",
            "S: 220 four, cut short by a crash",
            "");

    assertThat(regroup(live))
        .isEqualTo(
            String.join(
                "\n",
                "=== session 1 from 127.0.0.1:1001 at T1 (idle timeout)",
                "S: 220 one",
                "C: EHLO one",
                "C: NOOP",
                "=== session 2 from 127.0.0.1:1002 at T2 (connection lost)",
                "S: 220 two",
                "C: HELO two",
                "=== session 3 from 127.0.0.1:1003 at T3 (client sent QUIT)",
                "S: 220 three",
                "C: QUIT",
                "=== session 4 from 127.0.0.1:1004 at T4 (open)",
                "S: 220 four, cut short by a crash",
                ""));
  }

  @Test
  void aLaterSessionStillGoingOnWhenItsTurnComesIsWrittenStraightThrough() throws IOException {
    String live =
        String.join(
            "\n",
            "=== session 1 from h:1 at T1 (open)",
            "C: a1",
            "=== session 2 from h:2 at T2 (open)",
            "C: b1",
            "=== session 1 ended (client sent QUIT)",
            "=== session 2 (continued)",
            "C: b2",
            "=== session 3 from h:3 at T3 (open)",
            "C: c1",
            "=== session 2 (continued)",
            "C: b3",
            "=== session 2 ended (client sent QUIT)",
            "=== session 3 ended (client sent QUIT)",
            "");

    assertThat(regroup(live))
        .isEqualTo(
            String.join(
                "\n",
                "=== session 1 from h:1 at T1 (client sent QUIT)",
                "C: a1",
                "=== session 2 from h:2 at T2 (client sent QUIT)",
                "C: b1",
                "C: b2",
                "C: b3",
                "=== session 3 from h:3 at T3 (client sent QUIT)",
                "C: c1",
                ""));
  }

  @Test
  void clientLinesThatLookLikeMarksAreNotMarks() throws IOException {
    String live =
        String.join(
            "\n",
            "=== session 1 from h:1 at T1 (open)",
            "C: === session 2 ended (client sent QUIT)",
            "=== session 1 ended (client sent QUIT)",
            "");

    assertThat(regroup(live))
        .isEqualTo(
            "=== session 1 from h:1 at T1 (client sent QUIT)\n"
                + "C: === session 2 ended (client sent QUIT)\n");
  }
}
