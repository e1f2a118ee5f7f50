package dev.smtpdouble.examples.catalogue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Postfix's {@code smtp-sink} (Debian package {@code postfix}) as a process on a loopback port: the
 * real MTA that the differential check holds the double against. It runs with {@code -u nobody}
 * when the tests run as root (smtp-sink refuses to run as root without it), announces itself as
 * {@code localhost}, and offers neither AUTH, XCLIENT nor XFORWARD.
 */
final class SmtpSink implements AutoCloseable {
  /** Where Debian puts it; {@code /usr/sbin} is not on every user's PATH. */
  private static final List<String> SBIN = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

  /** Names the smtp-sink executable where it is not on the PATH or in an sbin directory. */
  static final String PROPERTY = "examples.smtpSink";

  private static final Duration READY = Duration.ofSeconds(5);
  private static final int ATTEMPTS = 3;

  private final Process process;
  private final int port;

  private SmtpSink(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * The smtp-sink executable: the one the system property {@value #PROPERTY} names, else the one
   * on the PATH or in an sbin directory.
   *
   * @return the executable, or empty when Postfix is not installed
   */
  static Optional<Path> find() {
    String given = System.getProperty(PROPERTY, "");
    if (!given.isEmpty()) {
      Path executable = Path.of(given);
      return Files.isExecutable(executable) ? Optional.of(executable) : Optional.empty();
    }
    List<String> directories = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      directories.addAll(List.of(path.split(File.pathSeparator)));
    }
    directories.addAll(SBIN);
    for (String directory : directories) {
      Path candidate = Path.of(directory, "smtp-sink");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts smtp-sink with the fault's options on a free loopback port and waits until it accepts.
   *
   * @param executable from {@link #find()}
   * @param options the fault's options, such as {@code -Q MAIL}
   * @return the running sink
   * @throws IOException when it does not start or does not listen within a few seconds
   * @throws InterruptedException when interrupted while waiting
   */
  static SmtpSink start(Path executable, List<String> options)
      throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = freePort(); // free a moment ago; another process may take it first: try again
      List<String> command = new ArrayList<>(List.of(executable.toString()));
      if ("root".equals(System.getProperty("user.name"))) {
        command.addAll(List.of("-u", "nobody"));
      }
      command.addAll(List.of("-a", "-C", "-F", "-h", "localhost"));
      command.addAll(options);
      command.addAll(List.of("127.0.0.1:" + port, "16"));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      SmtpSink sink = new SmtpSink(process, port);
      try {
        sink.awaitListening(command);
        return sink;
      } catch (IOException | InterruptedException e) {
        sink.close();
        if (e instanceof InterruptedException interrupted) {
          throw interrupted;
        }
        last = (IOException) e;
      }
    }
    throw last;
  }

  int port() {
    return port;
  }

  private void awaitListening(List<String> command) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(String.join(" ", command) + " exited with " + process.exitValue());
      }
      try (Socket probe = new Socket()) {
        // a bare connect and close: smtp-sink counts it as a session that ended early
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(20);
      }
    }
    throw new IOException(String.join(" ", command) + " did not listen within " + READY);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops smtp-sink (SIGTERM, then SIGKILL) and waits for it, a few seconds at most. */
  @Override
  public void close() {
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
