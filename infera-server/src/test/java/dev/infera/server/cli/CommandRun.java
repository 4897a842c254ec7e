package dev.infera.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One {@code infera} command run in this JVM, as a user types it: its exit code and what it printed
 * on standard output and standard error.
 */
public record CommandRun(int exit, String out, String err) {
  public static CommandRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        InferaCommand.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new CommandRun(exit, out.toString(), err.toString());
  }
}
