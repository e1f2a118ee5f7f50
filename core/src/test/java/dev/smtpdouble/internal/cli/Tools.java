package dev.smtpdouble.internal.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Outside programs the tests drive the command line with: python3 and curl. */
final class Tools {
  private Tools() {}

  /** What a program did: its exit status and its output. */
  record Result(int status, String out, String err) {}

  /** Whether {@code program --version} runs and succeeds within 10 s. */
  static boolean available(String program) {
    try {
      Process process =
          new ProcessBuilder(program, "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs a program to its end (killed after {@code seconds}); output goes through files. */
  static Result run(Path work, int seconds, List<String> command) {
    try {
      Path out = Files.createTempFile(work, "out", ".txt");
      Path err = Files.createTempFile(work, "err", ".txt");
      Process process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      process.getOutputStream().close();
      try {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
          throw new AssertionError(
              command.get(0)
                  + " did not finish within "
                  + seconds
                  + " s; stdout: "
                  + Files.readString(out)
                  + "; stderr: "
                  + Files.readString(err));
        }
      } finally {
        if (process.isAlive()) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Runs an inline python3 script with arguments. */
  static Result python(Path work, int seconds, String script, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", script));
    command.addAll(List.of(args));
    return run(work, seconds, command);
  }

  /** Waits (at most 5 s) until the file exists and holds {@code text}; returns its content. */
  static String awaitContent(Path file, String text) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    String content = "";
    while (System.nanoTime() < deadline) {
      try {
        if (Files.exists(file)) {
          content = Files.readString(file, StandardCharsets.UTF_8);
          if (content.contains(text)) {
            return content;
          }
        }
        Thread.sleep(20);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError(file + " never held \"" + text + "\"; it holds:\n" + content);
  }
}
