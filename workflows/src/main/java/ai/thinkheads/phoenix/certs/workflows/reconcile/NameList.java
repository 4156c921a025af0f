package ai.thinkheads.phoenix.certs.workflows.reconcile;

import java.util.Collection;
import java.util.List;

/** How many names, and the first of them: a report about ten thousand certificates stays small in history. */
public record NameList(int total, List<String> names) {

  public static final int SHOWN = 50;

  public NameList {
    names = names == null ? List.of() : List.copyOf(names);
  }

  public static NameList of(Collection<String> all) {
    return new NameList(all.size(), all.stream().sorted().limit(SHOWN).toList());
  }

  public static NameList none() {
    return new NameList(0, List.of());
  }

  public boolean contains(String name) {
    return names.contains(name);
  }
}
