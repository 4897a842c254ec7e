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
import org.junit.jupiter.api.Test;

/**
 * {@code INFERA_JIT} of {@code bin/infera serve} (docs/lifecycle.md, "JIT settings"): the flags the
 * JVM really ran with, read from {@code -XX:+PrintFlagsFinal} of {@code serve --help}, which goes
 * through the same launch as a serving process and ends at once.
 */
class JitSettingsIT {
  private static final Pattern FLAG =
      Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+)", Pattern.MULTILINE);

  private record Run(int exitCode, String output) {
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

  private static Run serveHelp(Map<String, String> env) throws IOException, InterruptedException {
    Path script = Paths.get("..", "bin", "infera").toAbsolutePath().normalize();
    ProcessBuilder builder =
        new ProcessBuilder(script.toString(), "serve", "--help").redirectErrorStream(true);
    builder.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
    builder.environment().put("INFERA_CDS", "off");
    builder.environment().remove("INFERA_JIT");
    builder.environment().remove("JAVA_OPTS");
    builder.environment().put("INFERA_JAVA_OPTS", "-XX:+PrintFlagsFinal");
    builder.environment().putAll(env);
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  @Test
  void theDefaultKeepsTheJvmsOwnSettings() throws Exception {
    Run run = serveHelp(Map.of());
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("MaxInlineLevel")).isEqualTo("15");
    assertThat(run.flag("CompileThresholdScaling")).isEqualTo("1.000000");
  }

  @Test
  void fastWarmupInlinesLessAndCompilesSooner() throws Exception {
    Run run = serveHelp(Map.of("INFERA_JIT", "fast-warmup"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("MaxInlineLevel")).isEqualTo("9");
    assertThat(run.flag("InlineSmallCode")).isEqualTo("1000");
    assertThat(run.flag("FreqInlineSize")).isEqualTo("100");
    assertThat(run.flag("CompileThresholdScaling")).isEqualTo("0.250000");
  }

  @Test
  void aJitFlagOfTheUsersOwnWins() throws Exception {
    Run run =
        serveHelp(
            Map.of(
                "INFERA_JIT",
                "fast-warmup",
                "INFERA_JAVA_OPTS",
                "-XX:+PrintFlagsFinal -XX:MaxInlineLevel=12"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("MaxInlineLevel")).isEqualTo("12");
    assertThat(run.flag("CompileThresholdScaling")).isEqualTo("1.000000");
  }

  @Test
  void anUnknownSettingIsRefusedNamingTheChoices() throws Exception {
    Run run = serveHelp(Map.of("INFERA_JIT", "turbo"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output())
        .contains("INFERA_JIT=turbo is not a JIT setting (expected fast-warmup or jvm-defaults)");
  }
}
