package ai.thinkheads.phoenix.certs.activities.audit;

import ai.thinkheads.phoenix.certs.activities.plugin.Option;
import ai.thinkheads.phoenix.certs.activities.plugin.Settings;
import ai.thinkheads.phoenix.certs.activities.plugin.SpecProblem;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateFact;
import ai.thinkheads.phoenix.certs.workflows.audit.CertificateKind;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A TLS endpoint the inventory names ({@code type: endpoint, address: 10.0.0.12:443, serverName:
 * qdrant.internal.thinkheads.ai}): the chain it serves, the protocol, the chain against the pinned root, whether its
 * names cover the server name. Runs from the worker, as a client would connect.
 */
public final class EndpointSource implements AuditSource {

  public static final String TYPE = "endpoint";
  static final Pattern ADDRESS = Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Option> options() {
    return List.of(Option.text("address").required("10.0.0.12:443").matching(ADDRESS, "host:port"),
        Option.text("serverName"), Option.text("name"));
  }

  @Override
  public List<SpecProblem> check(Settings settings) {
    return List.of();
  }

  @Override
  public boolean perGuest() {
    return false;
  }

  @Override
  public void gather(Settings settings, AuditScope scope, FactSink facts) throws Exception {
    String address = settings.get("address");
    String serverName = settings.get("serverName");
    String[] hp = TlsProbe.hostPort(address);
    TlsProbe probe = TlsProbe.of(hp[0], Integer.parseInt(hp[1]), serverName != null ? serverName : hp[0]);
    String name = settings.get("name") != null ? settings.get("name") : serverName != null ? serverName : address;
    CertificateFact fact = Measure.of(CertificateKind.ENDPOINT, address, name, address
        + (serverName == null ? "" : " (SNI " + serverName + ")"), probe.chain().get(0), probe.chain(),
        scope.pinnedRoot()).withServed(null, probe.protocol());
    facts.add(serverName == null ? fact : fact.withExpectedSans(List.of(serverName)));
  }
}
