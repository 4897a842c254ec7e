package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code INFERA_JIT} of {@code bin/infera serve} (docs/lifecycle.md, "JIT settings"): the flags the
 * JVM really ran with ({@link LauncherFlags}).
 */
class JitSettingsIT {
  private static LauncherFlags.Run serveHelp(Map<String, String> env) throws Exception {
    return LauncherFlags.help("serve", env);
  }

  @Test
  void theDefaultKeepsTheJvmsOwnSettings() throws Exception {
    LauncherFlags.Run run = serveHelp(Map.of());
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("MaxInlineLevel")).isEqualTo("15");
    assertThat(run.flag("CompileThresholdScaling")).isEqualTo("1.000000");
  }

  @Test
  void fastWarmupInlinesLessAndCompilesSooner() throws Exception {
    LauncherFlags.Run run = serveHelp(Map.of("INFERA_JIT", "fast-warmup"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("MaxInlineLevel")).isEqualTo("9");
    assertThat(run.flag("InlineSmallCode")).isEqualTo("1000");
    assertThat(run.flag("FreqInlineSize")).isEqualTo("100");
    assertThat(run.flag("CompileThresholdScaling")).isEqualTo("0.250000");
  }

  @Test
  void aJitFlagOfTheUsersOwnWins() throws Exception {
    LauncherFlags.Run run =
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
    LauncherFlags.Run run = serveHelp(Map.of("INFERA_JIT", "turbo"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output())
        .contains("INFERA_JIT=turbo is not a JIT setting (expected fast-warmup or jvm-defaults)");
  }
}
