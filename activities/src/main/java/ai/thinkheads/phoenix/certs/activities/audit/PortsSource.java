package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Discovery ({@code type: ports}): the TCP ports a guest listens on (read on the guest: {@code ss -ltnH}), each
 * probed for TLS from the worker; what a TLS port serves is reported, attributed to the managed or Traefik
 * certificate of the same serial on that guest when there is one, else as unmanaged. Probed at the listen address,
 * or, for a wildcard, at {@code address} (default: the guest's ssh address).
 */
public final class PortsSource implements AuditSource {

  public static final String TYPE = "ports";
  static final Duration PROBE = Duration.ofSeconds(2);
  static final int PARALLEL = 8;

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Option> options() {
    return List.of(Option.text("guest"), Option.text("address"),
        Option.text("exclude").orElse("22").matching(Pattern.compile("[0-9]{1,5}(,[0-9]{1,5})*"),
            "a list of ports such as 22,5432"));
  }

  @Override
  public boolean perGuest() {
    return true;
  }

  @Override
  public void gather(Settings settings, AuditScope scope, FactSink facts) throws Exception {
    ExecResult ss = scope.transport().exec(List.of("ss", "-ltnH"), Duration.ofSeconds(20));
    if (!ss.succeeded()) {
      throw new IllegalStateException("`ss -ltnH` on " + scope.guest().id() + " exited " + ss.exitCode() + ": "
          + ss.tail());
    }
    Set<Integer> exclude = Arrays.stream(settings.get("exclude") == null ? new String[] {"22"}
        : settings.get("exclude").split(",")).map(Integer::parseInt).collect(Collectors.toSet());
    String fallback = settings.get("address") != null ? settings.get("address")
        : scope.guest().target() == null ? null : scope.guest().target().options().get("address");
    Map<Integer, String> ports = ListeningPorts.parse(ss.stdout(), exclude);
    List<CertificateFact> known = facts.certificates();
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      List<Future<CertificateFact>> probes = new ArrayList<>();
      for (Map.Entry<Integer, String> port : ports.entrySet()) {
        String host = ListeningPorts.wildcard(port.getValue()) ? fallback : port.getValue();
        if (host == null) {
          continue;
        }
        probes.add(pool.submit(() -> probe(scope, host, port.getKey(), known)));
      }
      for (Future<CertificateFact> probe : probes) {
        CertificateFact fact = probe.get();
        if (fact != null) {
          facts.add(fact);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** What the port serves over TLS, or null when it does not speak TLS (or does not answer in time). */
  private static CertificateFact probe(AuditScope scope, String host, int port, List<CertificateFact> known) {
    TlsProbe tls;
    try {
      tls = TlsProbe.of(host, port, null, PROBE);
    } catch (Exception notTls) {
      return null;
    }
    String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    CertificateFact fact = Measure.of(CertificateKind.DISCOVERED, scope.guest().id(), "port " + port, address,
        tls.chain().get(0), tls.chain(), scope.pinnedRoot()).withServed(null, tls.protocol());
    String owner = known.stream().filter(k -> k.serial() != null && k.serial().equals(fact.serial())
        && k.managedBy() != null).map(CertificateFact::managedBy).findFirst().orElse(null);
    return owner == null ? fact : fact.managed(owner, null, null);
  }
}
