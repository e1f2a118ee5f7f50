package dev.smtpdouble.examples.docs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks that the Markdown docs say what the code does (the convention of CONTRIBUTING.md).
 *
 * <ul>
 *   <li>Every {@code ```java} block carries, on the line before its fence, {@code <!-- snippet:
 *       PATH#REGION -->}, and equals the lines between {@code // tag::REGION[]} and {@code //
 *       end::REGION[]} of that test source (nested tag lines removed, common indentation
 *       removed).
 *   <li>A block after {@code <!-- output-of: ARGS -->} starts with {@code $ java -jar
 *       core/target/smtp-double-core-VERSION.jar ARGS} and then holds exactly what that command
 *       prints to standard output (run here against core's classes).
 *   <li>Every {@code smtp-double-core-X.jar} and every {@code <version>} of a {@code
 *       dev.smtpdouble} artifact names the version being built.
 * </ul>
 */
final class DocsCheck {
  private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");
  private static final Pattern OUTPUT_OF = Pattern.compile("<!-- output-of: (.+) -->");
  private static final Pattern MARKER = Pattern.compile("<!-- (snippet|output-of):.*");
  private static final Pattern JAR = Pattern.compile("smtp-double-core-([0-9][^/\\s`]*?)\\.jar");
  private static final Pattern ARTIFACT_VERSION =
      Pattern.compile("<artifactId>smtp-double[-a-z0-9]*</artifactId>\\s*<version>([^<]+)</version>");
  private static final long COMMAND_SECONDS = 30;

  private final Path root;
  private final String version;
  private final Path coreClasses;

  /**
   * A check of the docs under a repository root.
   *
   * @param root the repository root, which snippet paths start from
   * @param version the version being built
   * @param coreClasses core's classes (a folder or the jar), to run {@code output-of} commands
   */
  DocsCheck(Path root, String version, Path coreClasses) {
    this.root = root;
    this.version = version;
    this.coreClasses = coreClasses;
  }

  /**
   * The Markdown files the convention covers: {@code README.md}, {@code CONTRIBUTING.md} and every
   * {@code .md} under {@code docs/}.
   *
   * @return the files, sorted
   * @throws IOException when docs/ cannot be read
   */
  List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String name : List.of("README.md", "CONTRIBUTING.md")) {
      if (Files.isRegularFile(root.resolve(name))) {
        files.add(root.resolve(name));
      }
    }
    Path docs = root.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> walk = Files.walk(docs)) {
        files.addAll(walk.filter(p -> p.toString().endsWith(".md")).sorted().toList());
      }
    }
    return files;
  }

  /**
   * Every way a file breaks the convention, each naming the file and line.
   *
   * @param markdown a Markdown file under the root
   * @return the problems; empty when the file is true
   * @throws IOException when a file cannot be read
   */
  List<String> problems(Path markdown) throws IOException {
    List<String> problems = new ArrayList<>();
    String name = root.relativize(markdown).toString();
    String text = Files.readString(markdown, StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      String where = name + ":" + (i + 1);
      if (!line.strip().startsWith("```")) {
        if (MARKER.matcher(line.strip()).matches()
            && (i + 1 >= lines.size() || !lines.get(i + 1).strip().startsWith("```"))) {
          problems.add(where + ": a marker must stand on the line right before a fenced block");
        }
        i++;
        continue;
      }
      String language = line.strip().substring(3).strip();
      int indent = line.length() - line.stripLeading().length();
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().equals("```")) {
        end++;
      }
      if (end == lines.size()) {
        problems.add(where + ": a fenced block that never ends");
        break;
      }
      // a block indented in a list item: its lines without the fence's indentation
      List<String> block =
          lines.subList(i + 1, end).stream()
              .map(l -> l.substring(Math.min(indent, l.length() - l.stripLeading().length())))
              .toList();
      String before = i == 0 ? "" : lines.get(i - 1).strip();
      Matcher snippet = SNIPPET.matcher(before);
      Matcher output = OUTPUT_OF.matcher(before);
      if (snippet.matches()) {
        checkSnippet(where, snippet.group(1), snippet.group(2), block, problems);
      } else if (output.matches()) {
        checkOutput(where, output.group(1), block, problems);
      } else if (language.equals("java")) {
        problems.add(
            where
                + ": a ```java block without a <!-- snippet: PATH#REGION --> marker on the line"
                + " before it");
      }
      i = end + 1;
    }
    checkVersions(name, text, problems);
    return problems;
  }

  private void checkSnippet(
      String where, String path, String region, List<String> block, List<String> problems)
      throws IOException {
    if (!path.contains("/src/test/java/") || !path.endsWith(".java")) {
      problems.add(where + ": " + path + " is not a test source (MODULE/src/test/java/...java)");
      return;
    }
    Path source = root.resolve(path);
    if (!Files.isRegularFile(source)) {
      problems.add(where + ": the snippet points at " + path + ", which does not exist");
      return;
    }
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    String start = "// tag::" + region + "[]";
    String stop = "// end::" + region + "[]";
    int from = -1;
    int to = -1;
    int starts = 0;
    for (int k = 0; k < lines.size(); k++) {
      String strip = lines.get(k).strip();
      if (strip.equals(start)) {
        starts++;
        from = k;
      } else if (strip.equals(stop) && from >= 0 && to < 0) {
        to = k;
      }
    }
    if (starts != 1 || to < 0) {
      problems.add(
          where
              + ": "
              + path
              + " must hold region '"
              + region
              + "' once, between '"
              + start
              + "' and '"
              + stop
              + "'");
      return;
    }
    List<String> expected = dedent(withoutTags(lines.subList(from + 1, to)));
    compare(where, "the region " + path + "#" + region, expected, block, problems);
  }

  private void checkOutput(String where, String args, List<String> block, List<String> problems)
      throws IOException {
    String command = "$ java -jar core/target/smtp-double-core-" + version + ".jar " + args;
    List<String> expected = new ArrayList<>();
    expected.add(command);
    expected.addAll(run(args).lines().toList());
    compare(where, "the output of '" + command.substring(2) + "'", expected, block, problems);
  }

  private String run(String args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(coreClasses.toString());
    command.add("dev.smtpdouble.internal.cli.Main");
    command.addAll(words(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    try {
      if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("'" + args + "' did not end within " + COMMAND_SECONDS + " s");
      }
      return out.get(COMMAND_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("could not run '" + args + "'", e);
    }
  }

  private static String read(InputStream in) {
    try (in) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      return bytes.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits a command line on spaces; single or double quotes keep a word together. */
  static List<String> words(String args) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (char c : args.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == ' ') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("an unclosed quote in: " + args);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private void checkVersions(String name, String text, List<String> problems) {
    for (Pattern pattern : List.of(JAR, ARTIFACT_VERSION)) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        if (!m.group(1).equals(version)) {
          long line = text.substring(0, m.start(1)).chars().filter(c -> c == '\n').count() + 1;
          problems.add(
              name + ":" + line + ": names version " + m.group(1) + ", but the build is " + version);
        }
      }
    }
  }

  private static void compare(
      String where, String what, List<String> expected, List<String> block, List<String> problems) {
    if (expected.equals(block)) {
      return;
    }
    int k = 0;
    while (k < expected.size() && k < block.size() && expected.get(k).equals(block.get(k))) {
      k++;
    }
    problems.add(
        where
            + ": the block differs from "
            + what
            + " at its line "
            + (k + 1)
            + "\n    docs:   "
            + (k < block.size() ? block.get(k) : "(the block ends)")
            + "\n    source: "
            + (k < expected.size() ? expected.get(k) : "(the source ends)")
            + "\n  the block should read:\n"
            + expected.stream().map(l -> "    " + l).collect(Collectors.joining("\n")));
  }

  private static List<String> withoutTags(List<String> lines) {
    return lines.stream()
        .filter(l -> !l.strip().matches("// (tag|end)::[^\\[]+\\[\\]"))
        .toList();
  }

  private static List<String> dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    int cut = indent == Integer.MAX_VALUE ? 0 : indent;
    return lines.stream().map(l -> l.isBlank() ? "" : l.substring(cut)).toList();
  }
}
