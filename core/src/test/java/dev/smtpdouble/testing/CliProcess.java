package dev.smtpdouble.testing;

import dev.smtpdouble.internal.cli.Main;
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
 * The command line as a real process ({@code java -cp target/classes ...Main}), its output read as
 * it comes: the first 8 MiB kept whole, and the last 64 KiB of a longer run. Always {@link
 * #close()} it: a process still running then is stopped.
 */
public final class CliProcess implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile("smtp-double listening on (\\[[0-9a-fA-F:.]+\\]|[0-9.]+):([0-9]+)");

  /** JVM options for the many short runs: a quick start matters more than peak speed there. */
  private static final List<String> QUICK_START =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private final Process process;
  private final Output out;
  private final Output err;

  private CliProcess(Process process) {
    this.process = process;
    this.out = new Output(process.getInputStream(), "stdout");
    this.err = new Output(process.getErrorStream(), "stderr");
  }

  /** Starts {@code Main} with these arguments, in a JVM set for a quick start. */
  public static CliProcess start(String... args) {
    return startWithJvmOptions(QUICK_START, args);
  }

  /** Starts {@code Main} with exactly these JVM options (such as {@code -Xmx128m}) and arguments. */
  public static CliProcess startWithJvmOptions(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
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
  private static Path classes() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits (at most 20 s) for the ready line and returns the port it names. */
  public int awaitReady() {
    return Integer.parseInt(ready().group(2));
  }

  /** The ready line's host part, as printed ({@code 127.0.0.1}, {@code [::]}). */
  public String readyHost() {
    return ready().group(1);
  }

  /** The ready line itself, once it came. */
  public String readyLine() {
    return ready().group().strip();
  }

  private Matcher ready() {
    try {
      String line = out.awaitMatch(READY, 20_000);
      Matcher matcher = READY.matcher(line);
      if (!matcher.find()) {
        throw new AssertionError("not a ready line: " + line);
      }
      return matcher;
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nstderr: " + err(), e);
    }
  }

  /** Sends SIGTERM and waits (at most 10 s) for the exit; returns the exit status. */
  public int terminate() {
    return terminate(10_000);
  }

  /**
   * Sends SIGTERM and waits (at most {@code millis}) for the exit; returns the exit status. The
   * signal goes through the process handle: {@link Process#destroy()} would also close our end of
   * its output pipes, losing what it prints while it shuts down.
   */
  public int terminate(long millis) {
    process.toHandle().destroy();
    return awaitExit(millis);
  }

  /** Waits for the process to end; returns its exit status. */
  public int awaitExit(long millis) {
    try {
      if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "the command line did not exit within "
                + millis
                + " ms; stdout:\n"
                + outTail()
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

  /** Standard output so far (its first 8 MiB). */
  public String out() {
    return out.head();
  }

  /** The last 64 KiB of standard output so far. */
  public String outTail() {
    return out.tail();
  }

  /** Standard error so far (its first 8 MiB). */
  public String err() {
    return err.head();
  }

  /** The process id. */
  public long pid() {
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

  /** One output stream read on a thread of its own; keeps its head and its tail. */
  private static final class Output {
    private static final int HEAD = 8 * 1024 * 1024;
    private static final int TAIL = 64 * 1024;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final byte[] tail = new byte[TAIL];
    private long total;
    private final Thread reader;

    Output(InputStream in, String name) {
      reader =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try (in) {
                  int n;
                  while ((n = in.read(buffer)) > 0) {
                    keep(buffer, n);
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

    private synchronized void keep(byte[] buffer, int n) {
      int room = HEAD - head.size();
      if (room > 0) {
        head.write(buffer, 0, Math.min(room, n));
      }
      for (int i = 0; i < n; i++) {
        tail[(int) (total++ % TAIL)] = buffer[i];
      }
      notifyAll();
    }

    synchronized String head() {
      return head.toString(StandardCharsets.UTF_8);
    }

    synchronized String tail() {
      int length = (int) Math.min(total, TAIL);
      byte[] bytes = new byte[length];
      for (int i = 0; i < length; i++) {
        bytes[i] = tail[(int) ((total - length + i) % TAIL)];
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The first line matching, waiting for it at most {@code millis}. */
    synchronized String awaitMatch(Pattern pattern, long millis) {
      long deadline = System.currentTimeMillis() + millis;
      while (true) {
        for (String line : head().split("\n")) {
          if (pattern.matcher(line).find()) {
            return line.strip();
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 || !reader.isAlive()) {
          throw new AssertionError(
              "no line matching " + pattern + " within " + millis + " ms: " + head());
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
