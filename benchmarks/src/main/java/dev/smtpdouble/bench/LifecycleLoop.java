package dev.smtpdouble.bench;

import dev.smtpdouble.SmtpDouble;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * A plain loop over the life of a double, without JMH: start, connect, read the greeting, close,
 * stop; prints the median and p95 of N cycles after 200 warm-up cycles, and how many of the
 * double's threads are left.
 *
 * <pre>
 * java -cp core/target/classes:benchmarks/target/classes dev.smtpdouble.bench.LifecycleLoop 1000
 * </pre>
 */
public final class LifecycleLoop {
  private LifecycleLoop() {}

  /**
   * Runs the loop.
   *
   * @param args the number of measured cycles (default 1000)
   * @throws IOException when a cycle fails
   */
  public static void main(String[] args) throws IOException {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int warmUp = 200;
    long[] nanos = new long[cycles];
    byte[] buffer = new byte[128];
    for (int i = 0; i < warmUp + cycles; i++) {
      long start = System.nanoTime();
      try (SmtpDouble smtp = SmtpDouble.start();
          Socket socket = new Socket(smtp.host(), smtp.port())) {
        InputStream in = socket.getInputStream();
        int got = 0;
        while (got < 2 || buffer[got - 1] != '\n') {
          int n = in.read(buffer, got, buffer.length - got);
          if (n < 0) {
            throw new EOFException("no greeting");
          }
          got += n;
        }
      }
      if (i >= warmUp) {
        nanos[i - warmUp] = System.nanoTime() - start;
      }
    }
    Arrays.sort(nanos);
    long left =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("smtp-double"))
            .count();
    System.out.printf(
        "%d cycles of start, connect, greeting, close, stop: median %d µs, p95 %d µs; %d threads"
            + " left%n",
        cycles, nanos[cycles / 2] / 1000, nanos[(int) (cycles * 0.95)] / 1000, left);
  }
}
