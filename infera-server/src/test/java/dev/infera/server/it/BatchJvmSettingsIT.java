package dev.infera.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM settings {@code bin/infera batch} runs a local job with (docs/batch.md, "JVM settings"):
 * the serial collector and a 64-MiB young generation unless the user chose otherwise, C1 alone for
 * a job that reads Parquet and C2 thresholds four times the JVM's for any other; {@code serve}
 * keeps the JVM's collector and thresholds. Read from the flags the JVM really ran with ({@link
 * LauncherFlags}).
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
  void aJobReadingParquetRunsOnC1Alone(@TempDir Path dir) throws Exception {
    Path file = Files.createFile(dir.resolve("rows.PARQUET"));
    Path folder = Files.createDirectories(dir.resolve("parts"));
    Files.createFile(folder.resolve("part-0.parquet"));
    Map<String, String> flags = Map.of("INFERA_JAVA_OPTS", "-XX:+PrintFlagsFinal");
    for (String[] input :
        List.of(
            new String[] {"--input", file.toString()},
            new String[] {"--input=" + folder},
            new String[] {"--input", file + "," + file})) {
      List<String> arguments = new java.util.ArrayList<>(List.of("batch"));
      arguments.addAll(List.of(input));
      arguments.add("--help");
      LauncherFlags.Run run = LauncherFlags.run(flags, arguments.toArray(String[]::new));
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.flag("TieredStopAtLevel")).as(String.join(" ", input)).isEqualTo("1");
    }
    // text input keeps both compilers, C2 for the hottest code only
    Path csv = Files.createFile(dir.resolve("rows.csv"));
    LauncherFlags.Run text = LauncherFlags.run(flags, "batch", "--input", csv.toString(), "--help");
    assertThat(text.flag("TieredStopAtLevel")).isEqualTo("4");
    assertThat(text.flag("Tier4InvocationThreshold")).isEqualTo("20000");
    // a JIT setting of the user's own wins
    LauncherFlags.Run own =
        LauncherFlags.run(
            Map.of("INFERA_JAVA_OPTS", "-XX:+PrintFlagsFinal -XX:TieredStopAtLevel=4"),
            "batch",
            "--input",
            file.toString(),
            "--help");
    assertThat(own.flag("TieredStopAtLevel")).isEqualTo("4");
    assertThat(own.flag("Tier4InvocationThreshold")).isEqualTo("5000");
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
