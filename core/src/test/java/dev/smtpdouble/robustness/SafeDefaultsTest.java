package dev.smtpdouble.robustness;

import dev.smtpdouble.testing.RawClient;
import dev.smtpdouble.testing.CliProcess;
import static dev.smtpdouble.robustness.Fuzz.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpdouble.SmtpDouble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safe by default (issue 9, part 5): the double listens on loopback unless told otherwise, the
 * command line warns whenever it listens elsewhere, and the {@code --mailbox} writer never writes
 * outside its folder whatever the messages contain. (Secrets: {@link SecretMaskingFuzzTest}.)
 */
@Timeout(120)
class SafeDefaultsTest {
  private static final String WARNING = "smtp-double: warning: listening on ";

  @TempDir Path folder;

  /** A non-loopback IPv4 address of this machine that is up, if there is one. */
  private static Optional<InetAddress> publicAddress() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return Optional.of(address);
          }
        }
      }
    } catch (SocketException e) {
      // no interfaces to look at
    }
    return Optional.empty();
  }

  /**
   * The local addresses of the listening TCP sockets on a port, from {@code /proc/net/tcp} and
   * {@code tcp6}, IPv4-mapped addresses as IPv4 ({@code 0100007F} is 127.0.0.1, {@code 00000000}
   * every address).
   */
  private static List<String> listeningOn(int port) throws IOException {
    List<String> addresses = new ArrayList<>();
    String suffix = ":" + String.format(Locale.ROOT, "%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        String[] fields = line.strip().split("\\s+");
        if (fields.length > 3 && fields[1].endsWith(suffix) && fields[3].equals("0A")) {
          String address = fields[1].substring(0, fields[1].length() - suffix.length());
          // a dual-stack socket: ::ffff:127.0.0.1 is 127.0.0.1, :: is every address
          if (address.startsWith("0000000000000000FFFF0000")) {
            address = address.substring(24);
          } else if (address.equals("0".repeat(32))) {
            address = "00000000";
          }
          addresses.add(address);
        }
      }
    }
    return addresses;
  }

  private static boolean refused(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 1000);
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aDoubleListensOnLoopbackOnlyUnlessToldOtherwise() throws IOException {
    assertThat(SmtpDouble.builder().settings().bindAddress().getHostAddress()).isEqualTo("127.0.0.1");
    try (SmtpDouble smtp = SmtpDouble.start()) {
      assertThat(smtp.host()).isEqualTo("127.0.0.1");
      assertThat(smtp.settings().bindAddress().isLoopbackAddress()).isTrue();
      if (Files.exists(Path.of("/proc/net/tcp"))) {
        assertThat(listeningOn(smtp.port())).as("the listening socket").containsExactly("0100007F");
      }
      Optional<InetAddress> outside = publicAddress();
      if (outside.isPresent()) {
        assertThat(refused(outside.get(), smtp.port()))
            .as("a connection to %s:%d", outside.get().getHostAddress(), smtp.port())
            .isTrue();
      }
    }
  }

  @Test
  void everyAddressIsUsedOnlyWhenAskedFor() throws IOException {
    try (SmtpDouble smtp = SmtpDouble.builder().bindAddress("0.0.0.0").start()) {
      assertThat(smtp.host()).as("where clients should connect").isEqualTo("127.0.0.1");
      if (Files.exists(Path.of("/proc/net/tcp"))) {
        assertThat(listeningOn(smtp.port())).containsExactly("00000000");
      }
    }
  }

  // ------------------------------------------------------------------ the command line's warning

  private static String errOfCli(String host) {
    try (CliProcess cli = CliProcess.start("--host", host, "--port", "0")) {
      try {
        cli.awaitReady();
      } catch (AssertionError e) {
        assumeTrue(!cli.err().contains("cannot listen"), "cannot listen on " + host + " here");
        throw e;
      }
      cli.terminate(10_000);
      return cli.err();
    }
  }

  @Test
  void theCommandLineWarnsOnTheIpv6WildcardAndOnAPublicAddress() {
    assertThat(errOfCli("::")).startsWith(WARNING + "0:0:0:0:0:0:0:0, which other machines may reach");
    Optional<InetAddress> outside = publicAddress();
    assumeTrue(outside.isPresent(), "this machine has no non-loopback IPv4 address");
    String address = outside.get().getHostAddress();
    assertThat(errOfCli(address)).startsWith(WARNING + address + ", which other machines may reach");
  }

  @Test
  void theCommandLineIsSilentOnLoopbackNames() {
    assertThat(errOfCli("localhost")).isEmpty();
    assertThat(errOfCli("::1")).isEmpty();
  }

  // ------------------------------------------------------------------ the mailbox stays in its folder

  @Test
  void theMailboxWriterNeverWritesOutsideItsFolderWhateverTheMessagesHold() throws IOException {
    String token = "smtp-double-escape-" + UUID.randomUUID();
    Path mailbox = folder.resolve("box");
    Path absolute = Path.of(System.getProperty("java.io.tmpdir"), token);
    List<String> names =
        List.of(
            "../" + token,
            "../../" + token,
            "../../../../../../../../" + token,
            absolute.toString(),
            "/" + token,
            "..\\..\\" + token,
            "%2e%2e%2f" + token,
            "./" + token + "/",
            "000001.eml",
            "../box/000999.eml",
            "transcript.log",
            "CON",
            token + "\u0000.eml");
    List<byte[]> messages = new ArrayList<>();
    for (String name : names) {
      messages.add(
          bytes(
              "Message-ID: <" + name + "@x>\r\nSubject: " + name + "\r\nX-File: " + name
                  + "\r\nContent-Type: text/plain; name=\"" + name + "\"\r\n"
                  + "Content-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n"
                  + name + "\r\n"));
    }
    messages.add(bytes("Subject: " + "../".repeat(30_000) + token + "\r\n\r\nlong header\r\n"));
    messages.add(bytes("Subject: nul\u0000" + token + "\r\nX-Path: /dev/null\r\n\r\n\u0000\u0000\r\n"));
    messages.add(new byte[0]);
    try (CliProcess cli = CliProcess.start("--port", "0", "--mailbox", mailbox.toString())) {
      int port = cli.awaitReady();
      try (RawClient client = RawClient.connect("127.0.0.1", port, 10_000)) {
        assertThat(client.nextReply().code()).isEqualTo(220);
        client.write(bytes("EHLO ../../" + token + "\r\n"));
        assertThat(client.nextReply().code()).isEqualTo(250);
        for (int i = 0; i < messages.size(); i++) {
          String name = names.get(Math.min(i, names.size() - 1));
          client.write(bytes("MAIL FROM:<" + name.replace("\u0000", "") + "@x.test>\r\n"));
          client.write(bytes("RCPT TO:<" + name.replace("\u0000", "") + "@y.test>\r\n"));
          assertThat(client.nextReply().code()).isEqualTo(250);
          assertThat(client.nextReply().code()).isEqualTo(250);
          if (i % 2 == 0) {
            client.write(bytes("DATA\r\n"));
            assertThat(client.nextReply().code()).isEqualTo(354);
            client.write(Fuzz.stuffed(messages.get(i)));
          } else {
            byte[] data = messages.get(i);
            client.write(Fuzz.concat(List.of(bytes("BDAT " + data.length + " LAST\r\n"), data)));
          }
          assertThat(client.nextReply().code()).isEqualTo(250);
        }
        client.write(bytes("QUIT\r\n"));
        client.readToEnd();
      }
      assertThat(cli.terminate(10_000)).isIn(0, 143);
    }

    // the whole tree under the test's folder: the mailbox folder and its flat files, nothing else
    List<String> tree;
    try (Stream<Path> all = Files.walk(folder)) {
      tree = all.map(path -> folder.relativize(path).toString().replace('\\', '/')).sorted().toList();
    }
    List<String> expected = new ArrayList<>(List.of("", "box", "box/transcript.log", "box/violations.log"));
    for (int i = 1; i <= messages.size(); i++) {
      expected.add(String.format("box/%06d.eml", i));
    }
    assertThat(tree).containsExactlyInAnyOrderElementsOf(expected);
    for (int i = 1; i <= messages.size(); i++) {
      assertThat(mailbox.resolve(String.format("%06d.eml", i))).hasBinaryContent(messages.get(i - 1));
    }
    for (Path escaped :
        List.of(
            absolute,
            Path.of(token).toAbsolutePath(),
            folder.getParent().resolve(token),
            Path.of("/" + token))) {
      assertThat(escaped).as("a file a message named").doesNotExist();
    }
  }
}
