package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.Plugin;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;

/**
 * Where the audit reads facts from, as an entry of the inventory's {@code audit.sources} names it by {@code type}
 * ({@code ca}, {@code managed}, {@code trust}, {@code acme-json}, {@code endpoint}, {@code files}). A source either
 * reads on guests, through their transports, in each guest's task, or runs once from the worker. It measures
 * and reports public facts only; it never changes anything.
 */
public interface AuditSource extends Plugin {

  /** True: runs in the task of every guest {@link #appliesTo}; false: once, from the worker. */
  boolean perGuest();

  /** Whether this entry reads on {@code guest}: the guest its {@code guest} option names, or every guest. */
  default boolean appliesTo(Settings settings, Guest guest) {
    String named = settings.get("guest");
    return named == null || guest.answersTo(named);
  }

  /** Reads and adds its facts; an exception is reported as "could not read" for this source and component. */
  void gather(Settings settings, AuditScope scope, FactSink facts) throws Exception;

  @Override
  default String label() {
    return "the " + type() + " audit source";
  }
}
