package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Picocli passes every description through {@code String.format}: a bare {@code %} in one ("1 %")
 * makes it print a warning for each usage message, including the one shown after a mistyped flag.
 * The check reads the texts as written in the annotations, since picocli's own accessors return
 * them formatted already.
 */
class HelpTextTest {
  private static List<String> written(Object element) {
    if (!(element instanceof AnnotatedElement annotated)) {
      return List.of();
    }
    List<String> texts = new ArrayList<>();
    Option option = annotated.getAnnotation(Option.class);
    if (option != null) {
      texts.addAll(List.of(option.description()));
    }
    Parameters parameters = annotated.getAnnotation(Parameters.class);
    if (parameters != null) {
      texts.addAll(List.of(parameters.description()));
    }
    Command command = annotated.getAnnotation(Command.class);
    if (command != null) {
      texts.addAll(List.of(command.description()));
      texts.addAll(List.of(command.header()));
      texts.addAll(List.of(command.footer()));
    }
    return texts;
  }

  private static void collect(CommandLine line, List<String> problems) {
    CommandSpec spec = line.getCommandSpec();
    List<String> texts = new ArrayList<>(written(spec.userObject().getClass()));
    for (ArgSpec arg : spec.args()) {
      texts.addAll(written(arg.userObject()));
    }
    for (String text : texts) {
      try {
        String.format(text.replaceAll("\\$\\{[^}]*}", "x"));
      } catch (IllegalFormatException e) {
        problems.add(spec.qualifiedName() + ": " + text + " (" + e.getMessage() + ")");
      }
    }
    for (CommandLine sub : line.getSubcommands().values()) {
      collect(sub, problems);
    }
  }

  @Test
  void everyDescriptionIsAValidFormatString() {
    List<String> problems = new ArrayList<>();
    collect(InferaCommand.commandLine(), problems);

    assertThat(problems).isEmpty();
  }

  @Test
  void optionsOfMixinsAreReadAsWritten() {
    List<String> texts = new ArrayList<>();
    CommandLine serve = InferaCommand.commandLine().getSubcommands().get("serve");
    for (ArgSpec arg : serve.getCommandSpec().args()) {
      texts.addAll(written(arg.userObject()));
    }

    assertThat(texts).anyMatch(t -> t.contains("records 1 %%"));
  }
}
