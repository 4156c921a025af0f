package ai.thinkheads.phoenix.certs.activities.transport.remote;

import java.util.ArrayList;
import java.util.List;

/**
 * The POSIX sh scripts behind the file operations of every remote transport. The script text is constant:
 * paths, modes and owners travel only as positional parameters ({@code "$1"}...), so no value from the
 * inventory is ever parsed as shell code. Kept to what busybox sh and coreutils both have.
 */
final class RemoteScripts {

  /** Exit code for "the file does not exist", distinct from the codes cat, sh and coreutils use. */
  static final int MISSING = 3;
  static final int NO_DIRECTORY = 90;
  static final int NO_TEMP_FILE = 91;
  static final int WRITE_FAILED = 92;
  static final int DIGEST_FAILED = 93;
  static final int CONTENT_MISMATCH = 94;
  static final int CHMOD_FAILED = 95;
  static final int CHOWN_FAILED = 96;
  static final int RENAME_FAILED = 97;
  static final int OTHER_FILE_SYSTEM = 98;
  static final int NO_SPACE = 99;

  /** $0 of every script, so sh's own messages name us. */
  private static final String NAME = "phoenix-certs";

  // Temp file beside the target (same file system, so the final mv is a rename), created 0600 by mktemp and
  // removed by the EXIT trap unless it was renamed; signals exit through the trap too.
  private static final String PREPARE_TEMP = """
      set -u
      d=${p%/*}; [ -n "$d" ] || d=/
      mkdir -p "$d" || exit 90
      t=$(mktemp "$d/.${p##*/}.tmp-XXXXXX") || exit 91
      trap 'rm -f "$t"' EXIT
      trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM
      """;

  // Mode and owner before the rename: the file is never visible at the target path with other permissions.
  // sync FILE needs coreutils 8.24+; elsewhere a plain sync does the same, slower.
  private static final String FINISH_TEMP = """
      chmod "$m" "$t" || exit 95
      if [ -n "$o" ]; then chown "$o" "$t" || exit 96; fi
      sync "$t" 2>/dev/null || sync
      mv -f "$t" "$p" || exit 97
      trap - EXIT
      sync "$d" 2>/dev/null || sync
      """;

  // Room for $n bytes and a block more, or nothing is written (df -P: POSIX columns, 1K blocks; a df that
  // cannot tell lets the write go ahead and fail on its own).
  private static final String CHECK_SPACE = """
      a=$(df -Pk "$d" 2>/dev/null | awk 'NR==2 {print $4}')
      case "$a" in ''|*[!0-9]*) a= ;; esac
      if [ -n "$a" ] && [ $((a * 1024)) -lt $((n + 4096)) ]; then echo "$a KiB free in $d" >&2; exit 99; fi
      """;

  // The content arrives on stdin. A cut connection ends stdin early and cat still succeeds, so the digest of
  // what arrived is compared with the sender's before anything replaces the target.
  static final String WRITE = "p=$1 m=$2 o=$3 want=$4 n=$5\n" + PREPARE_TEMP + CHECK_SPACE + """
      cat > "$t" || exit 92
      got=$(sha256sum < "$t") || exit 93
      if [ "${got%% *}" != "$want" ]; then
        echo "received content differs from what was sent (transfer cut short?); $p left as it was" >&2
        exit 94
      fi
      """ + FINISH_TEMP;

  static final String COPY = "f=$1 p=$2 m=$3 o=$4\n[ -e \"$f\" ] || exit 3\n" + PREPARE_TEMP
      + "n=$(wc -c < \"$f\")\n" + CHECK_SPACE + "cat \"$f\" > \"$t\" || exit 92\n" + FINISH_TEMP;

  static final String READ = "[ -e \"$1\" ] || exit 3\nexec cat \"$1\"\n";

  static final String READ_BASE64 = "[ -e \"$1\" ] || exit 3\nexec base64 \"$1\"\n";

  static final String EXISTS = "[ -e \"$1\" ]\n";

  static final String CHECKSUM = """
      [ -e "$1" ] || exit 3
      s=$(sha256sum < "$1") || exit 93
      echo "${s%% *}"
      """;

  // Renames "$1" to "$2", and "$3" to "$4" when given (a key and its certificate). mv across file systems copies
  // and is not atomic: refuse instead, like the local transport does. Every check comes before the first rename,
  // then signals are ignored, so that a caller dying (ssh dropped, worker killed) cannot split a pair.
  static final String RENAME = """
      for s in "$1" "${3:-$1}"; do [ -e "$s" ] || exit 3; done
      d=${2%/*}; [ -n "$d" ] || d=/
      e=${4:-$2}; e=${e%/*}; [ -n "$e" ] || e=/
      [ "$(stat -c %d "$1")" = "$(stat -c %d "$d")" ] || exit 98
      [ "$(stat -c %d "${3:-$1}")" = "$(stat -c %d "$e")" ] || exit 98
      trap '' HUP INT TERM PIPE
      mv -f "$1" "$2" || exit 97
      [ $# -lt 4 ] || mv -f "$3" "$4" || exit 97
      sync "$d" "$e" 2>/dev/null || sync
      """;

  static final String DELETE = "rm -f \"$1\"\n";

  private RemoteScripts() {}

  /** argv that runs {@code script} with {@code args} as "$1"...: {@code sh -c script phoenix-certs args...}. */
  static List<String> argv(String script, String... args) {
    List<String> argv = new ArrayList<>(List.of("sh", "-c", script, NAME));
    argv.addAll(List.of(args));
    return argv;
  }
}
