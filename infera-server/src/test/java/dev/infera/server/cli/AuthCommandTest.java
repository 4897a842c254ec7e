package dev.infera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AuthCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int hashKey(String stdin) {
    AuthCommand.HashKey command = new AuthCommand.HashKey();
    command.input = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    return new CommandLine(command)
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute();
  }

  @Test
  void printsTheSha256OfTheKeyWithoutItsLineBreak() {
    int exit = hashKey("abc\n");

    assertThat(exit).isZero();
    assertThat(out.toString().strip())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void anEmptyInputIsAnError() {
    int exit = hashKey("\n");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("no key");
  }

  @Test
  void isReachableAsInferaAuthHashKey() {
    CommandLine infera = InferaCommand.commandLine();

    assertThat(infera.getSubcommands().get("auth").getSubcommands()).containsKey("hash-key");
  }
}
