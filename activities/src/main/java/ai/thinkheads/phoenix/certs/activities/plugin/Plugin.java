package ai.thinkheads.phoenix.certs.activities.plugin;

import java.util.List;

/**
 * The one contract of every plugin, whatever its family (issuer, transport, validate, reload or verify step): the
 * {@code type} the inventory names it by, the options it takes, and its own check of what the options alone
 * cannot say (one of two options, a value that depends on another). The inventory reader checks every family
 * the same way with these, before anything starts, and reports each problem at its file, line and column; the
 * plugin checks again before it acts, for settings that did not come through the reader.
 *
 * <p>A new plugin is one class (or package) implementing its family's interface ({@code IssuerPlugin},
 * {@code TransportFactory}, {@code Validator}, {@code Reloader}, {@code Verifier}), its registration (a line in
 * {@link BuiltInPlugins}, or handed to {@link PluginRegistry#with}) and its test.
 */
public interface Plugin {

  String type();

  /** The options it takes, as the inventory writes them; any other is an error, so a typo cannot go unseen. */
  default List<Option> options() {
    return List.of();
  }

  /**
   * What is wrong with {@code settings} beyond what {@link #options()} declares; only called once every option
   * has passed its declared kind, so typed getters work. Empty when it can run.
   */
  default List<SpecProblem> check(Settings settings) {
    return List.of();
  }

  /** How messages name it: "a systemd step", "the ssh transport", "the acme issuer". */
  String label();
}
