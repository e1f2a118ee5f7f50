package dev.smtpdouble.examples.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A command-line tool (python3, curl) run from a test, bounded in time. */
final class Tool {
  private Tool() {}

  /**
   * The tool's path when it is on the PATH.
   *
   * @param name such as {@code "python3"}
   * @return the executable, or empty
   */
  static Optional<Path> find(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String directory : path.split(File.pathSeparator)) {
      Path candidate = Path.of(directory, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * What a run of the tool did.
   *
   * @param exitCode its exit status
   * @param output standard output and standard error together
   */
  record Result(int exitCode, String output) {}

  /**
   * Runs a command and waits for it, killing it after {@code timeout}.
   *
   * @param timeout the longest it may take
   * @param command the command and its arguments
   * @return its exit status and output
   * @throws IOException when it cannot start
   * @throws InterruptedException when interrupted while waiting
   * @throws IllegalStateException when it takes longer than {@code timeout}
   */
  static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
    Path output = Files.createTempFile("tool", ".out");
    try {
      Process process =
          new ProcessBuilder(new ArrayList<>(List.of(command)))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException(
            String.join(" ", command) + " took longer than " + timeout + ": " + Files.readString(output));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
