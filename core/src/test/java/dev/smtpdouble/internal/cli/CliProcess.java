package dev.smtpdouble.internal.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line as a real process: {@code java -cp target/classes ...Main}, its output read as
 * it comes. Always {@link #close()} it: a process still running then is killed.
 */
final class CliProcess implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile("smtp-double listening on ([0-9.]+):([0-9]+)");

  private final Process process;
  private final Output out;
  private final Output err;

  private CliProcess(Process process) {
    this.process = process;
    this.out = new Output(process.getInputStream(), "stdout");
    this.err = new Output(process.getErrorStream(), "stderr");
  }

  /** Starts {@code Main} with these arguments. */
  static CliProcess start(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(classes().toString());
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    try {
      return new CliProcess(new ProcessBuilder(command).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The folder the main classes were loaded from: {@code core/target/classes}. */
  static Path classes() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits (at most 15 s) for the ready line and returns the port it names. */
  int awaitReady() {
    String line = readyLine();
    Matcher matcher = READY.matcher(line);
    if (!matcher.find()) {
      throw new AssertionError("not a ready line: " + line);
    }
    return Integer.parseInt(matcher.group(2));
  }

  /** The ready line itself, once it came. */
  String readyLine() {
    try {
      return out.awaitMatch(READY, 15_000);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nstderr: " + err(), e);
    }
  }

  /**
   * Sends SIGTERM and waits (at most 10 s) for the exit; returns the exit status. The signal goes
   * through the process handle: {@link Process#destroy()} would also close our end of its output
   * pipes, losing what it prints while it shuts down.
   */
  int terminate() {
    process.toHandle().destroy();
    return awaitExit(10_000);
  }

  /** Waits for the process to end by itself; returns its exit status. */
  int awaitExit(long millis) {
    try {
      if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "the command line did not exit within "
                + millis
                + " ms; stdout:\n"
                + out()
                + "\nstderr:\n"
                + err());
      }
      out.join();
      err.join();
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  String out() {
    return out.text();
  }

  String err() {
    return err.text();
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One output stream, read on its own thread into memory. */
  private static final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread reader;

    Output(InputStream in, String name) {
      reader =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try (in) {
                  int n;
                  while ((n = in.read(buffer)) > 0) {
                    synchronized (this) {
                      bytes.write(buffer, 0, n);
                      notifyAll();
                    }
                  }
                } catch (IOException e) {
                  // the process is gone
                }
                synchronized (this) {
                  notifyAll();
                }
              },
              "cli-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized String awaitMatch(Pattern pattern, long millis) {
      long deadline = System.currentTimeMillis() + millis;
      while (true) {
        for (String line : text().split("\n")) {
          if (pattern.matcher(line).find()) {
            return line.strip();
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 || !reader.isAlive()) {
          throw new AssertionError(
              "no line matching " + pattern + " within " + millis + " ms: " + text());
        }
        try {
          wait(Math.min(left, 100));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }

    void join() throws InterruptedException {
      reader.join(5000);
    }
  }
}
