package ai.thinkheads.phoenix.certs.activities.transport.ssh;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns argv into the one command string SSH can carry. The remote login shell parses that string, so every
 * argument is wrapped in POSIX single quotes, inside which nothing is special ($, `, ;, \, newlines); a single
 * quote itself becomes {@code '\''}. The remote shell must be POSIX-like (sh, bash, dash, ash, zsh).
 */
public final class ShellQuoting {

  private ShellQuoting() {}

  public static String quote(String argument) {
    if (argument.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("an argument holds a NUL character, which no command can receive");
    }
    return "'" + argument.replace("'", "'\\''") + "'";
  }

  public static String commandLine(List<String> argv) {
    return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
  }
}
