package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.ActivityGuard;
import ai.thinkheads.phoenix.certs.activities.crypto.CertificateFacts;
import ai.thinkheads.phoenix.certs.activities.estate.Authority;
import ai.thinkheads.phoenix.certs.activities.estate.Estate;
import ai.thinkheads.phoenix.certs.activities.estate.Guest;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditActivities;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditFacts;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditPlan;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import ai.thinkheads.phoenix.certs.workflows.audit.AuditRequest;
import ai.thinkheads.phoenix.certs.workflows.audit.EstateOutline;
import ai.thinkheads.phoenix.certs.workflows.audit.Unreachable;
import ai.thinkheads.phoenix.certs.workflows.failure.FailureType;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit's steps on the worker's own inventory. Tasks are names resolved here: {@code guest:<id>} must be a
 * listed guest ({@code trust:<id>}: its trust stores only), {@code source:<n>} a listed source run from the
 * worker; only the {@code audit} workflow (a Schedule's {@code audit-<time>} run, the start's {@code audit-trust})
 * may ask. Nothing here writes to a guest.
 */
public final class AuditActivitiesImpl implements AuditActivities {

  private static final Logger log = LoggerFactory.getLogger(AuditActivitiesImpl.class);

  private final Authority authority;
  private final PluginRegistry plugins;
  private final WorkflowProbe workflows;
  private final AuditArchive archive;
  private final Duration loop;
  private final Clock clock;
  private final GuestOnboarding onboarding;

  /** @param loop how long the workflow waits between audits; null when a Temporal Schedule starts them */
  public AuditActivitiesImpl(Authority authority, PluginRegistry plugins, WorkflowProbe workflows,
      AuditArchive archive, Duration loop, Clock clock) {
    this(authority, plugins, workflows, archive, loop, clock, null);
  }

  /** @param onboarding starts a guest's onboarding when the audit finds it without the root (null: never) */
  public AuditActivitiesImpl(Authority authority, PluginRegistry plugins, WorkflowProbe workflows,
      AuditArchive archive, Duration loop, Clock clock, GuestOnboarding onboarding) {
    this.onboarding = onboarding;
    this.authority = authority;
    this.plugins = plugins;
    this.workflows = workflows;
    this.archive = archive;
    this.loop = loop;
    this.clock = clock;
  }

  @Override
  public AuditPlan plan() {
    requireAuditCaller();
    Estate estate = authority.estate();
    return ActivityGuard.run(() -> {
      List<Settings> sources = sources(estate);
      List<String> tasks = new ArrayList<>();
      for (Guest guest : estate.guests()) {
        if (sources.stream().anyMatch(s -> source(s).perGuest() && source(s).appliesTo(s, guest))) {
          tasks.add("guest:" + guest.id());
        }
      }
      for (int i = 0; i < sources.size(); i++) {
        if (!source(sources.get(i)).perGuest()) {
          tasks.add("source:" + i);
        }
      }
      AuditSpec spec = estate.audit();
      return new AuditPlan(tasks, spec.concurrency(), outline(estate, sources),
          archive.latest().map(AuditReport::findings).orElse(null), spec.warnBefore(),
          loop == null ? null : spec.interval());
    });
  }

  @Override
  public AuditFacts gather(String task) {
    requireAuditCaller();
    Estate estate = authority.estate();
    List<Settings> sources = sources(estate);
    FactSink facts = new FactSink();
    boolean trustOnly = task != null && task.startsWith("trust:");
    if (task != null && (task.startsWith("guest:") || trustOnly)) {
      String id = task.substring(task.indexOf(':') + 1);
      Guest guest = estate.guests().stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow(() ->
          refuse("guest " + id + " is not in this worker's inventory (" + estate.source() + ")"));
      AuditScope scope = new AuditScope(estate, guest, plugins, workflows, clock.instant());
      return ActivityGuard.run(() -> {
        // discovery last: it tells found certificates from those the other sources already attribute
        List<Settings> ordered = new ArrayList<>(sources);
        ordered.sort(java.util.Comparator.comparing(s -> PortsSource.TYPE.equals(s.type())));
        for (Settings s : ordered) {
          // trust:<id>, the check a worker runs at start, reads the guest's trust stores only
          if (trustOnly && !TrustSource.TYPE.equals(s.type())) {
            continue;
          }
          if (source(s).perGuest() && source(s).appliesTo(s, guest)) {
            run(s, scope, guest.id(), facts);
          }
        }
        return facts.build(task);
      });
    }
    int index = sourceIndex(task);
    if (index < 0 || index >= sources.size() || source(sources.get(index)).perGuest()) {
      throw refuse("audit task '" + task + "' is not in this worker's inventory (" + estate.source() + ")");
    }
    Settings settings = sources.get(index);
    AuditScope scope = new AuditScope(estate, null, plugins, workflows, clock.instant());
    return ActivityGuard.run(() -> {
      run(settings, scope, settings.get("address") != null ? settings.get("address") : settings.type(), facts);
      return facts.build(task);
    });
  }

  @Override
  public String publish(AuditReport report) {
    requireAuditCaller();
    return ActivityGuard.run(() -> archive.save(report).toString());
  }

  @Override
  public String onboard(String guestId) {
    requireAuditCaller();
    Estate estate = authority.estate();
    Guest guest = estate.guests().stream().filter(g -> g.id().equals(guestId)).findFirst().orElseThrow(() ->
        refuse("guest " + guestId + " is not in this worker's inventory (" + estate.source() + ")"));
    if (onboarding == null) {
      return "";
    }
    return ActivityGuard.run(() -> {
      String workflowId = onboarding.start(guest, "audit: a trust store of " + guest.id() + " lacks the root");
      log.info("audit: {} lacks the root; {} started", guest.id(), workflowId);
      return workflowId;
    });
  }

  /** One source on one component; what it could not read becomes a fact, not a failed task. */
  private void run(Settings settings, AuditScope scope, String component, FactSink facts) {
    try {
      source(settings).gather(settings, scope, facts);
    } catch (Exception e) {
      log.debug("audit: {} on {} failed", settings.type(), component, e);
      facts.add(new Unreachable(component, settings.type() + " source", message(e)));
    }
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  /** The inventory's sources, with the defaults (ca, managed, trust) added when not listed. */
  List<Settings> sources(Estate estate) {
    List<Settings> out = new ArrayList<>(estate.audit().sources());
    for (String type : AuditSpec.DEFAULT_SOURCES) {
      if (out.stream().noneMatch(s -> type.equals(s.type()))) {
        out.add(Settings.of(plugins.auditSource(type), java.util.Map.of()));
      }
    }
    return out;
  }

  private AuditSource source(Settings settings) {
    return plugins.auditSource(settings.type());
  }

  private static int sourceIndex(String task) {
    try {
      return task != null && task.startsWith("source:") ? Integer.parseInt(task.substring("source:".length())) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static EstateOutline outline(Estate estate, List<Settings> sources) {
    List<EstateOutline.GuestOutline> guests = new ArrayList<>();
    for (Guest g : estate.guests()) {
      List<String> certs = estate.certificates().stream().filter(c -> c.target() != null
          && g.id().equals(c.target().guestId())).map(CertificateSpec::name).toList();
      guests.add(new EstateOutline.GuestOutline(g.id(), g.name(), g.kind(), g.trust(), certs));
    }
    String health = estate.caHealthUrl();
    return new EstateOutline(estate.source(), estate.issuer().type(), health == null ? null
        : health.replaceFirst("/health$", ""), CertificateFacts.fingerprint(estate.issuer().root()), guests,
        sources.stream().map(s -> s.type() + (s.get("guest") != null ? " on " + s.get("guest") : "")
            + (s.get("path") != null ? " " + s.get("path") : "") + (s.get("address") != null ? " "
            + s.get("address") : "")).toList());
  }

  /** Only the audit workflow asks: {@code audit}, or a Schedule's run {@code audit-<time>}. */
  private static void requireAuditCaller() {
    String caller;
    try {
      caller = io.temporal.activity.Activity.getExecutionContext().getInfo().getWorkflowId();
    } catch (RuntimeException | Error notInAnActivity) {
      return;
    }
    if (!caller.equals(AuditRequest.WORKFLOW_ID) && !caller.startsWith(AuditRequest.WORKFLOW_ID + "-")) {
      throw refuse(caller + " asked for an audit step, which this worker runs for " + AuditRequest.WORKFLOW_ID
          + " only");
    }
  }

  private static io.temporal.failure.ApplicationFailure refuse(String message) {
    log.warn("refused: {}", message);
    return FailureType.NOT_IN_INVENTORY.failure(message);
  }
}
