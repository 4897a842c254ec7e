package dev.infera.server.cli;

import dev.infera.server.security.ApiKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code infera auth}: helpers for writing the {@code --auth-config} file. */
@Command(
    name = "auth",
    mixinStandardHelpOptions = true,
    description = "Helpers for the --auth-config file.",
    subcommands = {AuthCommand.HashKey.class})
final class AuthCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code infera auth hash-key}: reads a key from standard input (one trailing line break ignored)
   * and prints its SHA-256 hash in hexadecimal, as the auth file's {@code sha256} wants. The key
   * never appears on the command line, so it stays out of shell history and process lists.
   */
  @Command(
      name = "hash-key",
      mixinStandardHelpOptions = true,
      description = {
        "Print the SHA-256 (hex) of an API key read from standard input, for the auth file.",
        "Example: openssl rand -hex 32 | tee key.txt | infera auth hash-key"
      })
  static final class HashKey implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** Where the key is read from; standard input unless a test sets it. */
    InputStream input = System.in;

    @Override
    public Integer call() throws IOException {
      String key = withoutLineBreak(new String(input.readAllBytes(), StandardCharsets.UTF_8));
      if (key.isEmpty()) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("infera auth hash-key: no key on standard input");
        err.flush();
        return 2;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(HexFormat.of().formatHex(ApiKeyStore.sha256(key)));
      out.flush();
      return 0;
    }

    static String withoutLineBreak(String text) {
      if (text.endsWith("\r\n")) {
        return text.substring(0, text.length() - 2);
      }
      if (text.endsWith("\n")) {
        return text.substring(0, text.length() - 1);
      }
      return text;
    }
  }
}
