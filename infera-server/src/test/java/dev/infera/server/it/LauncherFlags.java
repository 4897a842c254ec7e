package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code bin/infera} with {@code -XX:+PrintFlagsFinal} and reads the flags the JVM really ran
 * with: a command's {@code --help} goes through the same launch as the command and ends at once.
 */
final class LauncherFlags {
  private static final Pattern FLAG =
      Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+)", Pattern.MULTILINE);

  /** How a launch ended: its exit code and everything it printed. */
  record Run(int exitCode, String output) {
    /** The final value of a JVM flag. */
    String flag(String name) {
      Matcher m = FLAG.matcher(output);
      while (m.find()) {
        if (m.group(1).equals(name)) {
          return m.group(2);
        }
      }
      throw new AssertionError("no flag " + name + " in:\n" + output);
    }
  }

  private LauncherFlags() {}

  /**
   * {@code bin/infera COMMAND --help} with this test's JVM, no class-data archive and none of the
   * launcher's settings from the environment but {@code env}'s; {@code INFERA_JAVA_OPTS} defaults
   * to {@code -XX:+PrintFlagsFinal}.
   */
  static Run help(String command, Map<String, String> env)
      throws IOException, InterruptedException {
    Map<String, String> withFlags = new java.util.HashMap<>(env);
    withFlags.putIfAbsent("INFERA_JAVA_OPTS", "-XX:+PrintFlagsFinal");
    return run(withFlags, command, "--help");
  }

  /**
   * {@code bin/infera ARGS} as above, without printing the flags unless {@code env} asks; stdout
   * and stderr together.
   */
  static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path script = Paths.get("..", "bin", "infera").toAbsolutePath().normalize();
    java.util.List<String> command =
        new java.util.ArrayList<>(java.util.List.of(script.toString()));
    command.addAll(java.util.List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
    builder.environment().put("INFERA_CDS", "off");
    builder.environment().remove("INFERA_JIT");
    builder.environment().remove("JAVA_OPTS");
    builder.environment().remove("INFERA_JAVA_OPTS");
    builder.environment().putAll(env);
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
