package dev.smtpdouble.examples.cli;

import static org.awaitility.Awaitility.await;

import dev.smtpdouble.SmtpDouble;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The command-line double in a process of its own, as a non-JVM project would run it: {@code java
 * -cp <core> dev.smtpdouble.internal.cli.Main --port 0 --mailbox DIR [options]}. It reads the
 * {@code smtp-double listening on HOST:PORT} line to learn the port, and stops the process with
 * SIGTERM on {@link #close()}, as a CI script would.
 */
final class CommandLineDouble implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("smtp-double listening on (.+):(\\d+)");
  private static final Duration START = Duration.ofSeconds(20);
  private static final Duration STOP = Duration.ofSeconds(10);

  private final Process process;
  private final Path mailbox;
  private final String host;
  private final int port;
  private final StringBuffer stderr;

  private CommandLineDouble(Process process, Path mailbox, String host, int port, StringBuffer stderr) {
    this.process = process;
    this.mailbox = mailbox;
    this.host = host;
    this.port = port;
    this.stderr = stderr;
  }

  /**
   * Starts the double on a free port with its mailbox in {@code mailbox}.
   *
   * @param mailbox an empty folder
   * @param options more options, such as {@code --rule "reply 451 to RCPT once"} or {@code --tls}
   * @return the running double
   * @throws IOException when the process cannot start
   * @throws IllegalStateException when it does not say it listens within 20 s
   */
  static CommandLineDouble start(Path mailbox, String... options) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(coreClasses().toString());
    command.add("dev.smtpdouble.internal.cli.Main");
    command.add("--port");
    command.add("0");
    command.add("--mailbox");
    command.add(mailbox.toString());
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).start();
    StringBuffer stderr = new StringBuffer();
    BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    drain(process.getInputStream(), stdout::add, "stdout");
    drain(process.getErrorStream(), line -> stderr.append(line).append('\n'), "stderr");
    try {
      long deadline = System.nanoTime() + START.toNanos();
      while (System.nanoTime() < deadline) {
        String line = stdout.poll(100, TimeUnit.MILLISECONDS);
        if (line != null) {
          Matcher listening = LISTENING.matcher(line);
          if (listening.matches()) {
            return new CommandLineDouble(
                process, mailbox, listening.group(1), Integer.parseInt(listening.group(2)), stderr);
          }
        } else if (!process.isAlive()) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "the command-line double did not say it listens within " + START.toSeconds() + " s: " + stderr);
  }

  /**
   * Where the core's classes are: the directory or jar that {@link SmtpDouble} was loaded from
   * (core/target/classes in the reactor, the installed jar otherwise).
   */
  static Path coreClasses() {
    try {
      return Path.of(SmtpDouble.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void drain(InputStream stream, Consumer<String> lines, String name) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                  lines.accept(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "command-line double " + name);
    thread.setDaemon(true);
    thread.start();
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** What the double wrote to standard error, for failure messages. */
  String stderr() {
    return stderr.toString();
  }

  /**
   * The {@code .eml} files, oldest first, once there are {@code count} of them (waiting 5 s at
   * most: the file is written as the double answers the end of the data).
   *
   * @param count how many to wait for
   * @return the files
   */
  List<Path> awaitMessages(int count) {
    await("%d .eml file(s) in %s".formatted(count, mailbox))
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> messages().size() >= count);
    return messages();
  }

  /** The {@code .eml} files there are now, oldest first. */
  List<Path> messages() {
    try (Stream<Path> files = Files.list(mailbox)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".eml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code transcript.log} as it is now: complete once the double was {@linkplain #stop() stopped}. */
  String transcript() throws IOException {
    return Files.readString(mailbox.resolve("transcript.log"), StandardCharsets.UTF_8);
  }

  /**
   * Stops the double with SIGTERM, as Ctrl-C would, and waits for it (bounded); the mailbox stays.
   * Calling it again does nothing more.
   */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }
}
