package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class InferaCommandTest {
  private static final List<String> ALL =
      List.of("serve", "models", "rollout", "auth", "bench", "batch", "profile", "help");

  /** Exit code, standard output and standard error of one run of {@code line}. */
  private static List<Object> run(CommandLine line, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = line.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return List.of(exit, out.toString(), err.toString());
  }

  @Test
  void aLaunchNamingACommandMakesOnlyThatOne() {
    assertThat(InferaCommand.commandLine(new String[] {"serve", "--help"}).getSubcommands())
        .containsOnlyKeys("serve");
    assertThat(InferaCommand.commandLine(new String[] {"batch"}).getSubcommands())
        .containsOnlyKeys("batch");
  }

  @Test
  void helpAMistypedNameOrNoneSeeEveryCommandInTheUsagesOrder() {
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"help", "serve"},
            new String[] {"srve"},
            new String[] {"--version"})) {
      assertThat(InferaCommand.commandLine(args).getSubcommands().keySet())
          .as(String.join(" ", args))
          .containsExactlyElementsOf(ALL);
    }
    assertThat(InferaCommand.commandLine().getSubcommands().keySet())
        .containsExactlyElementsOf(ALL);
  }

  @Test
  void aLaunchAnswersAsTheWholeTreeDoes() {
    for (String[] args :
        List.of(
            new String[] {"serve", "--help"},
            new String[] {"serve", "--no-such-flag"},
            new String[] {"serve", "--http-port", "eighty"},
            new String[] {"models", "--help"},
            new String[] {"auth"},
            new String[] {"auth", "hash-key", "--help"},
            new String[] {"batch", "--help"},
            new String[] {"profile", "build"},
            new String[] {"help", "rollout"},
            new String[] {"srve"},
            new String[] {})) {
      assertThat(run(InferaCommand.commandLine(args), args))
          .as(String.join(" ", args))
          .isEqualTo(run(InferaCommand.commandLine(), args));
    }
  }
}
