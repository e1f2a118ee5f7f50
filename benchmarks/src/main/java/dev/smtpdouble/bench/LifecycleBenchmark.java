package dev.smtpdouble.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One cycle of a server's life in a test: create it, start it on a free port, connect and read
 * the greeting, close the connection, stop the server. JMH samples every cycle's time, so the
 * result has a median and a p95.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LifecycleBenchmark {

  /** The target's name. */
  @Param({"smtp-double"})
  public String target;

  private long cycles;

  /**
   * Creates, starts, greets, stops.
   *
   * @return the greeting's length, so that nothing is optimised away
   * @throws Exception when the target fails: the run fails loudly
   */
  @Benchmark
  public int cycle() throws Exception {
    Target server = Target.create(target);
    server.start();
    int length;
    try {
      length = greet(server.host(), server.port());
    } finally {
      server.stop();
    }
    cycles++;
    return length;
  }

  /** Reads one whole greeting (every line up to the one with a space after the code). */
  static int greet(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress(host, port), 10_000);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[512];
      int n = 0;
      int lineStart = 0;
      while (true) {
        int r = in.read(buf, n, buf.length - n);
        if (r <= 0) {
          throw new IOException("the server closed before greeting: " + new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        for (int i = n; i < n + r; i++) {
          if (buf[i] == '\n') {
            if (i - lineStart < 4 || buf[lineStart] != '2' || buf[lineStart + 1] != '2' || buf[lineStart + 2] != '0') {
              throw new IOException("not a 220 greeting: " + new String(buf, 0, i, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            if (buf[lineStart + 3] == ' ') {
              return i + 1;
            }
            lineStart = i + 1;
          }
        }
        n += r;
        if (n == buf.length) {
          throw new IOException("greeting longer than " + buf.length + " octets");
        }
      }
    }
  }

  /** Fails the run when no cycle completed. */
  @TearDown
  public void check() {
    if (cycles == 0) {
      throw new IllegalStateException("no lifecycle completed for " + target);
    }
  }
}
