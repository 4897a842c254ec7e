package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infera.core.lifecycle.ManagerOptions;
import dev.infera.core.lifecycle.ModelControlMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

/** The model control flags of {@code infera serve}, parsed as picocli parses them. */
class ModelControlFlagsTest {
  @Command(name = "probe")
  static final class Probe {
    @Mixin ModelControlFlags flags;
  }

  private static ManagerOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.flags.apply(ManagerOptions.defaults());
  }

  @Test
  void defaultsAreTritons() {
    ManagerOptions options = parse();

    assertThat(options.control().mode()).isEqualTo(ModelControlMode.NONE);
    assertThat(options.control().pollInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(options.strictReadiness()).isTrue();
  }

  @Test
  void explicitModeTakesRepeatedLoadModels() {
    ManagerOptions options =
        parse("--model-control-mode", "EXPLICIT", "--load-model", "a", "--load-model", "*");

    assertThat(options.control().mode()).isEqualTo(ModelControlMode.EXPLICIT);
    assertThat(options.control().startupModels()).containsExactly("a", "*");
  }

  @Test
  void pollModeTakesThePollInterval() {
    ManagerOptions options = parse("--model-control-mode=poll", "--repository-poll-secs", "2");

    assertThat(options.control().pollInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void strictReadinessCanBeTurnedOff() {
    assertThat(parse("--strict-readiness=false").strictReadiness()).isFalse();
  }

  @Test
  void unknownModeIsRefused() {
    assertThatThrownBy(() -> parse("--model-control-mode", "sometimes"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("'sometimes' (expected none, poll or explicit)");
  }

  @Test
  void loadModelOutsideExplicitModeIsRefused() {
    assertThatThrownBy(() -> parse("--load-model", "a"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--load-model needs --model-control-mode explicit");
  }

  @Test
  void pollModeNeedsAPositiveInterval() {
    assertThatThrownBy(() -> parse("--model-control-mode", "poll", "--repository-poll-secs", "0"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("expected >= 1 in poll mode");
  }
}
