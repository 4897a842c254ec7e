package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JVM settings {@code bin/infera batch} runs a local job with (docs/batch.md, "JVM settings"):
 * the serial collector and a 64-MiB young generation unless the user chose otherwise, and C2
 * thresholds four times the JVM's; {@code serve} keeps the JVM's collector and thresholds. Read
 * from the flags the JVM really ran with ({@link LauncherFlags}).
 */
class BatchJvmSettingsIT {
  private static final String MIB_64 = Long.toString(64L << 20);

  @Test
  void aBatchJobRunsOnTheSerialCollectorWithASmallYoungGeneration() throws Exception {
    LauncherFlags.Run run = LauncherFlags.help("batch", Map.of());
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("UseSerialGC")).isEqualTo("true");
    assertThat(run.flag("UseG1GC")).isEqualTo("false");
    assertThat(run.flag("NewSize")).isEqualTo(MIB_64);
    assertThat(run.flag("MaxNewSize")).isEqualTo(MIB_64);
  }

  @Test
  void aCollectorOfTheUsersOwnWinsAndGetsNoYoungGenerationSize() throws Exception {
    LauncherFlags.Run run =
        LauncherFlags.help(
            "batch", Map.of("INFERA_JAVA_OPTS", "-XX:+PrintFlagsFinal -XX:+UseParallelGC"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("UseParallelGC")).isEqualTo("true");
    assertThat(run.flag("UseSerialGC")).isEqualTo("false");
    assertThat(run.flag("MaxNewSize")).isNotEqualTo(MIB_64);
  }

  @Test
  void aYoungGenerationSizeOfTheUsersOwnWins() throws Exception {
    LauncherFlags.Run run = LauncherFlags.help("batch", Map.of("JAVA_OPTS", "-Xmn128m"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("UseSerialGC")).isEqualTo("true");
    assertThat(run.flag("MaxNewSize")).isEqualTo(Long.toString(128L << 20));
  }

  @Test
  void aBatchJobLeavesLukewarmCodeToC1() throws Exception {
    LauncherFlags.Run run = LauncherFlags.help("batch", Map.of());
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("Tier4InvocationThreshold")).isEqualTo("20000");
    assertThat(run.flag("Tier4CompileThreshold")).isEqualTo("30000");
    assertThat(run.flag("Tier4BackEdgeThreshold")).isEqualTo("160000");
  }

  @Test
  void compileThresholdsOfTheUsersOwnWin() throws Exception {
    LauncherFlags.Run run =
        LauncherFlags.help("batch", Map.of("JAVA_OPTS", "-XX:CompileThresholdScaling=0.5"));
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("CompileThresholdScaling")).isEqualTo("0.500000");
    // the JVM's 5000, scaled by the user's factor (ours scaled would read 10000)
    assertThat(run.flag("Tier4InvocationThreshold")).isEqualTo("2500");
  }

  @Test
  void theServerKeepsTheJvmsCollectorAndThresholds() throws Exception {
    LauncherFlags.Run run = LauncherFlags.help("serve", Map.of());
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.flag("UseSerialGC")).isEqualTo("false");
    assertThat(run.flag("Tier4InvocationThreshold")).isEqualTo("5000");
  }
}
