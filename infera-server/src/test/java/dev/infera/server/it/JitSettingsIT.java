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
    // Three C2 threads (and one C1) on up to 4 cores, where the JVM itself gives one or two.
    if (cores() <= 4) {
      assertThat(run.flag("CICompilerCount")).isEqualTo("4");
    } else {
      assertThat(serveHelp(Map.of()).flag("CICompilerCount"))
          .isEqualTo(run.flag("CICompilerCount"));
    }
  }

  /** {@code INFERA_JIT=fast-warmup} with a flag of the user's own in {@code INFERA_JAVA_OPTS}. */
  private static LauncherFlags.Run fastWarmupWith(String flag) throws Exception {
    LauncherFlags.Run run =
        serveHelp(
            Map.of(
                "INFERA_JIT", "fast-warmup", "INFERA_JAVA_OPTS", "-XX:+PrintFlagsFinal " + flag));
    assertThat(run.exitCode()).as(run.output()).isZero();
    return run;
  }

  @Test
  void aCompilerCountOfTheUsersOwnWins() throws Exception {
    LauncherFlags.Run run = fastWarmupWith("-XX:CICompilerCount=2");
    assertThat(run.flag("CICompilerCount")).isEqualTo("2");
    assertThat(run.flag("MaxInlineLevel")).isEqualTo("9");
  }

  /**
   * The processors {@code bin/infera} must count: the JVM's own count (CPU affinity and a cgroup
   * quota), which decides how many compiler threads it starts.
   */
  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  @Test
  void openMpThreadCountsDoNotChangeTheCompilerThreads() throws Exception {
    // GNU nproc obeys these; the JVM does not.
    String own = serveHelp(Map.of("INFERA_JIT", "fast-warmup")).flag("CICompilerCount");
    for (String threads : new String[] {"1", "64"}) {
      LauncherFlags.Run run =
          serveHelp(Map.of("INFERA_JIT", "fast-warmup", "OMP_NUM_THREADS", threads));
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.flag("CICompilerCount")).as("OMP_NUM_THREADS=" + threads).isEqualTo(own);
    }
  }

  @Test
  void aC1InliningFlagOfTheUsersOwnLeavesTheSetting() throws Exception {
    LauncherFlags.Run run = fastWarmupWith("-XX:C1MaxInlineLevel=10");
    assertThat(run.flag("C1MaxInlineLevel")).isEqualTo("10");
    assertThat(run.flag("MaxInlineLevel")).isEqualTo("9");
    assertThat(run.flag("CompileThresholdScaling")).isEqualTo("0.250000");
  }

  @Test
  void aJitFlagOfTheUsersOwnWins() throws Exception {
    LauncherFlags.Run run = fastWarmupWith("-XX:MaxInlineLevel=12");
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
