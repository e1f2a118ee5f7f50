package dev.smtpdouble.robustness;

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
 * The command line as a process of its own ({@code java -cp target/classes ...Main}), its output
 * read as it comes (the head and the tail are kept, and the lines counted). Always close it: a
 * process still running then is killed.
 */
final class CliRunner implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile("smtp-double listening on (\\[[0-9a-fA-F:.]+\\]|[0-9.]+):([0-9]+)");

  private final Process process;
  private final Output out;
  private final Output err;

  private CliRunner(Process process) {
    this.process = process;
    this.out = new Output(process.getInputStream(), "stdout");
    this.err = new Output(process.getErrorStream(), "stderr");
  }

  /** Starts the command line with these arguments. */
  static CliRunner start(String... args) {
    return startWithJvmOptions(List.of(), args);
  }

  /** Starts the command line with these JVM options (such as {@code -Xmx128m}) and arguments. */
  static CliRunner startWithJvmOptions(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classes().toString());
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    try {
      return new CliRunner(new ProcessBuilder(command).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path classes() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits (at most 20 s) for the ready line; returns the port it names. */
  int awaitReady() {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      Matcher matcher = READY.matcher(out.head());
      if (matcher.find()) {
        return Integer.parseInt(matcher.group(2));
      }
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError(
            "no ready line; stdout:\n" + out.head() + "\nstderr:\n" + err.head());
      }
      Robustness.sleep(20);
    }
  }

  /** The ready line's host part, as printed ({@code 127.0.0.1}, {@code [::]}). */
  String readyHost() {
    Matcher matcher = READY.matcher(out.head());
    if (!matcher.find()) {
      throw new AssertionError("no ready line: " + out.head());
    }
    return matcher.group(1);
  }

  /** Sends SIGTERM and waits (at most {@code millis}) for the exit; returns the status. */
  int terminate(long millis) {
    process.toHandle().destroy(); // SIGTERM, keeping our end of its pipes open
    try {
      if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the command line did not exit within " + millis + " ms");
      }
      out.join();
      err.join();
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The first 64 KiB of standard output. */
  String outHead() {
    return out.head();
  }

  /** The last 64 KiB of standard output. */
  String outTail() {
    return out.tail();
  }

  /** Standard error (its first 64 KiB). */
  String err() {
    return err.head();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One output stream read on a thread of its own; keeps its head and its tail. */
  private static final class Output {
    private static final int KEEP = 64 * 1024;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final byte[] tail = new byte[KEEP];
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
              },
              "cli-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    private synchronized void keep(byte[] buffer, int n) {
      int room = KEEP - head.size();
      if (room > 0) {
        head.write(buffer, 0, Math.min(room, n));
      }
      for (int i = 0; i < n; i++) {
        tail[(int) (total++ % KEEP)] = buffer[i];
      }
    }

    synchronized String head() {
      return head.toString(StandardCharsets.UTF_8);
    }

    synchronized String tail() {
      int length = (int) Math.min(total, KEEP);
      byte[] out = new byte[length];
      for (int i = 0; i < length; i++) {
        out[i] = tail[(int) ((total - length + i) % KEEP)];
      }
      return new String(out, StandardCharsets.UTF_8);
    }

    void join() throws InterruptedException {
      reader.join(5000);
    }
  }
}
