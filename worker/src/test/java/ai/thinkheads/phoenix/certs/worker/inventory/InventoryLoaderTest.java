package ai.thinkheads.phoenix.certs.worker.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.activities.issuer.Issuer;
import ai.thinkheads.phoenix.certs.activities.issuer.IssuerContext;
import ai.thinkheads.phoenix.certs.activities.plugin.BuiltInPlugins;
import ai.thinkheads.phoenix.certs.activities.plugin.PluginRegistry;
import ai.thinkheads.phoenix.certs.activities.transport.ssh.SshConnectionPool;
import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import ai.thinkheads.phoenix.certs.workflows.model.KeyAlgorithm;
import ai.thinkheads.phoenix.certs.workflows.model.KeyUsage;
import ai.thinkheads.phoenix.certs.workflows.model.StepSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InventoryLoaderTest {

  /** The plugins the worker registers, with their own checks: what the loader checks entries against. */
  static final PluginRegistry PLUGINS = BuiltInPlugins.registry(new SshConnectionPool());

  static final String GOOD = """
      ca: {type: local, dataDir: /tmp/ca}
      hosts:
        pve: {transport: ssh, address: 127.0.0.1, port: 2222, identityFile: /k, knownHosts: /kh}
      guests:
        - {vmid: 101, name: nginx, kind: lxc, via: pve}
        - {name: box, kind: local}
      certificates:
        - name: web
          guest: 101
          sans: ["*.internal.thinkheads.ai", 10.0.0.1]
          key: rsa-3072
          usage: [server, client]
          lifetime: 90d
          renewBefore: 7d
          files: {cert: /etc/nginx/ssl/a.crt, key: /etc/nginx/ssl/a.key}
          validate: {type: command, argv: [nginx, -t]}
          reload: {type: command, argv: [nginx, -s, reload]}
      """;

  static final String RELOAD = "reload: {type: command, argv: [nginx, -s, reload]}";

  static final String LOCAL_CA = "type: local, dataDir: /tmp/ca";
  static final String FINGERPRINT = "c18520f1a1a1d5d7b0f6c1a8e5f3b7d2c4e6a8b0c2d4e6f8a0b2c4d6e8f0a2b4";
  static final String ACME_CA = "type: acme, directory: https://ca.test:9000/acme/acme/directory, fingerprint: "
      + FINGERPRINT + ", accountKeyFile: /etc/phoenix-certs/acme.pem, webroot: /var/lib/acme";

  /** A second certificate, after %s. */
  static final String API = """
        - name: api
          guest: box
          sans: [api.test]
          files: {cert: api.crt, key: api.key}
          after: %s
      """;

  final InventoryLoader loader = new InventoryLoader(PLUGINS);

  @Test
  void aGoodInventoryBecomesSpecs() {
    Inventory inventory = loader.parse("good.yaml", GOOD);
    CertificateSpec web = inventory.certificates().get(0);
    assertEquals("cert/web", web.workflowId());
    assertEquals("pct", web.target().transport());
    assertEquals("lxc/101", web.target().guestId());
    assertEquals("101", web.target().option("vmid"));
    assertEquals("2222", web.target().option("port"));
    assertEquals(KeyAlgorithm.RSA_3072, web.key());
    assertEquals(List.of(KeyUsage.SERVER, KeyUsage.CLIENT), web.usages());
    assertEquals(Duration.ofDays(90), web.lifetime());
    assertEquals(Duration.ofDays(7), web.renewBefore());
    assertEquals("*.internal.thinkheads.ai", web.commonName());
    assertEquals("readback", web.verify().type(), "verify defaults to reading the pair back");
    assertEquals("0600", web.files().keyMode());
  }

  static Stream<Arguments> badInventories() {
    return Stream.of(
        bad("unknown key", GOOD.replace("key: rsa-3072", "key: rsa-3072\n    colour: blue"),
            "bad.yaml:12:5: certificates[0].colour: unknown key 'colour' (known: after, commonName, files, guest, "
                + "key, lifetime, name, reload, renewAt, renewBefore, sans, usage, validate, verify)"),
        bad("missing field", GOOD.replace("    sans: [\"*.internal.thinkheads.ai\", 10.0.0.1]\n", ""),
            "bad.yaml:8:5: certificates[0].sans: missing: at least one DNS name or IP address"),
        bad("bad duration", GOOD.replace("lifetime: 90d", "lifetime: ninety days"),
            "bad.yaml:13:5: certificates[0].lifetime: 'ninety days' is not a duration (e.g. 90s, 5m, 24h, 90d, 1h30m)"),
        bad("duplicate certificate name", GOOD + """
              - name: web
                guest: box
                sans: [b.test]
                files: {cert: b.crt, key: b.key}
            """,
            "bad.yaml:18:5: certificates[1].name: duplicate certificate name 'web' (first at certificates[0])"),
        bad("unknown guest", GOOD.replace("guest: 101", "guest: 999"),
            "bad.yaml:9:5: certificates[0].guest: unknown guest '999' (define it under guests)"),
        bad("unknown host", GOOD.replace("via: pve", "via: pve2"),
            "bad.yaml:5:41: guests[0].via: unknown host 'pve2' (known: pve)"),
        bad("unknown step type", GOOD.replace("reload: {type: command", "reload: {type: supervisord"),
            "bad.yaml:17:14: certificates[0].reload.type: unknown reload type 'supervisord' (known: command, docker, "
                + "systemd, none)"),
        bad("command without argv", GOOD.replace("validate: {type: command, argv: [nginx, -t]}",
            "validate: {type: command}"),
            "bad.yaml:16:5: certificates[0].validate.argv: missing: a command step needs its argv, e.g. [nginx, -t]"),
        bad("systemd without unit", GOOD.replace(RELOAD, "reload: {type: systemd, action: restart}"),
            "bad.yaml:17:5: certificates[0].reload.unit: missing: a systemd step needs the unit, e.g. unit: nginx"),
        bad("systemd unit starting with '-'", GOOD.replace(RELOAD, "reload: {type: systemd, unit: -x}"),
            "bad.yaml:17:29: certificates[0].reload.unit: '-x' is not a systemd unit name"),
        bad("systemd unit with a shell character", GOOD.replace(RELOAD, "reload: {type: systemd, unit: \"a;b\"}"),
            "bad.yaml:17:29: certificates[0].reload.unit: 'a;b' is not a systemd unit name"),
        bad("systemd unknown action", GOOD.replace(RELOAD, "reload: {type: systemd, unit: nginx, action: stop}"),
            "bad.yaml:17:42: certificates[0].reload.action: 'stop' is not one of reload, restart, reload-or-restart"),
        bad("systemd with argv", GOOD.replace(RELOAD, "reload: {type: systemd, unit: nginx, argv: [x]}"),
            "bad.yaml:17:42: certificates[0].reload.argv: a systemd step takes no argv; name the unit, e.g. unit: "
                + "nginx"),
        bad("systemd option typo", GOOD.replace(RELOAD, "reload: {type: systemd, unit: nginx, acton: restart}"),
            "bad.yaml:17:42: certificates[0].reload.acton: unknown option 'acton' for a systemd step (known: action, "
                + "timeout, unit)"),
        bad("docker without container", GOOD.replace(RELOAD, "reload: {type: docker}"),
            "bad.yaml:17:5: certificates[0].reload.container: missing: a docker step needs the container, e.g. "
                + "container: portainer"),
        bad("docker container named like an option", GOOD.replace(RELOAD,
            "reload:\n      type: docker\n      container: \"$(id)\""),
            "bad.yaml:19:7: certificates[0].reload.container: '$(id)' is not a docker container name or id"),
        bad("docker bad timeout", GOOD.replace(RELOAD, "reload: {type: docker, container: portainer, timeout: 1 "
            + "minute}"),
            "bad.yaml:17:50: certificates[0].reload.timeout: '1 minute' is not a duration like 30s or 2m"),
        bad("docker bad option under options", GOOD.replace(RELOAD,
            "reload: {type: docker, options: {container: \"a b\"}}"),
            "bad.yaml:17:38: certificates[0].reload.options.container: 'a b' is not a docker container name or id"),
        bad("option given twice", GOOD.replace(RELOAD,
            "reload: {type: docker, container: portainer, options: {container: other}}"),
            "bad.yaml:17:28: certificates[0].reload.container: option 'container' given twice (also at "
                + "certificates[0].reload.options.container)"),
        bad("option without a value", GOOD.replace(RELOAD, "reload: {type: systemd, unit: }"),
            "bad.yaml:17:29: certificates[0].reload.unit: missing: a value for option 'unit'"),
        bad("tls verify option typo", GOOD.replace(RELOAD, RELOAD + "\n    verify: {type: tls, endpiont: a:443}"),
            "bad.yaml:18:25: certificates[0].verify.endpiont: unknown option 'endpiont' for a tls verify step"),
        bad("transport option checked when read", GOOD.replace("  - {name: box, kind: local}",
            "  - {name: box, kind: host, address: 10.0.0.9, port: 99999, identityFile: /k, knownHosts: /kh}"),
            "bad.yaml:6:48: guests[1].port: '99999' is not a port number (1 to 65535)"),
        bad("transport option typo", GOOD.replace("  - {name: box, kind: local}",
            "  - {name: box, kind: host, adress: 10.0.0.9, identityFile: /k, knownHosts: /kh}"),
            "bad.yaml:6:5: guests[1]: say how to reach host/box: transport: one of local, pct, qm, ssh"),
        bad("transport option unknown to it", GOOD.replace("  - {name: box, kind: local}",
            "  - {name: box, kind: host, transport: ssh, address: a, adress: b, identityFile: /k, knownHosts: /kh}"),
            "bad.yaml:6:57: guests[1].adress: unknown option 'adress' for the ssh transport (known: address, "
                + "commandTimeout, connectTimeout, identityFile, knownHosts, passphraseFile, port, "
                + "trustOnFirstUse, user)"),
        bad("ssh transport without its known_hosts", GOOD.replace("  - {name: box, kind: local}",
            "  - {name: box, kind: host, address: 10.0.0.9, identityFile: /k}"),
            "bad.yaml:6:5: guests[1].knownHosts: missing: the ssh transport needs the knownHosts, e.g. knownHosts: "
                + "/etc/phoenix-certs/ssh_known_hosts"),
        bad("host with a bad flag", GOOD.replace("knownHosts: /kh}", "knownHosts: /kh, trustOnFirstUse: maybe}"),
            "bad.yaml:3:92: hosts.pve.trustOnFirstUse: 'maybe' is not true or false"),
        bad("issuer option unknown to it", GOOD.replace("dataDir: /tmp/ca}", "dataDir: /tmp/ca, url: x}"),
            "bad.yaml:1:37: ca.url: unknown option 'url' for the local issuer (known: dataDir, name)"),
        bad("step-ca with a bad fingerprint", GOOD.replace("type: local, dataDir: /tmp/ca", "type: step-ca, url: "
            + "https://ca:9000, provisioner: admin, passwordFile: /p, fingerprint: c0ffee"),
            "bad.yaml:1:81: ca.fingerprint: 'c0ffee' is not a SHA-256 fingerprint"),
        bad("acme and a wildcard: http-01 cannot prove it", GOOD.replace(LOCAL_CA, ACME_CA),
            "bad.yaml:10:12: certificates[0].sans[0]: '*.internal.thinkheads.ai' is a wildcard, which http-01 cannot "
                + "prove"),
        bad("acme with neither a pinned nor a named root", GOOD.replace(LOCAL_CA, ACME_CA.replace(", fingerprint: "
            + FINGERPRINT, "")), "bad.yaml:1:1: ca.root: missing: the file of the root CA the ACME CA's certificates "
                + "chain to (or fingerprint: the SHA-256 of a step-ca's root, to pin it)"),
        bad("acme with a webroot relative to nothing", GOOD.replace(LOCAL_CA, ACME_CA.replace("/var/lib/acme",
            "acme")), "bad.yaml:1:195: ca.webroot: 'acme' must be an absolute path on the guests"),
        bad("acme over plain http", GOOD.replace(LOCAL_CA, ACME_CA.replace("https://ca.test", "http://ca.test")),
            "bad.yaml:1:18: ca.directory: 'http://ca.test:9000/acme/acme/directory' is not an https:// URL"),
        bad("unknown issuer", GOOD.replace("type: local, dataDir", "type: vault, dataDir"),
            "bad.yaml:1:6: ca.type: unknown CA type 'vault' (known: acme, local, step-ca)"),
        bad("bad renewAt", GOOD.replace("renewBefore: 7d", "renewAt: 3/2"),
            "bad.yaml:14:5: certificates[0].renewAt: '3/2' is not a share of the lifetime between 0 and 1 (e.g. 2/3, "
                + "0.75, 75%)"),
        bad("bad key type", GOOD.replace("key: rsa-3072", "key: dsa-1024"),
            "bad.yaml:11:5: certificates[0].key: unknown key type 'dsa-1024' (known: ecdsa-p256, ecdsa-p384, rsa-2048, "
                + "rsa-3072, rsa-4096)"),
        bad("relative remote path", GOOD.replace("cert: /etc/nginx/ssl/a.crt", "cert: ssl/a.crt"),
            "bad.yaml:15:13: certificates[0].files.cert: 'ssl/a.crt' must be an absolute path on the guest"),
        bad("wrong type", GOOD.replace("port: 2222", "port: twenty"),
            "bad.yaml:3:45: hosts.pve.port: 'twenty' is not a port number (1 to 65535)"),
        bad("duplicate yaml key", GOOD.replace("lifetime: 90d", "lifetime: 90d\n    lifetime: 30d"),
            "bad.yaml:14:5: certificates[0].lifetime: duplicate key 'lifetime'"),
        bad("bad SAN", GOOD.replace("10.0.0.1]", "\"bad name!\"]"),
            "bad.yaml:10:40: certificates[0].sans[1]: 'bad name!' is not a DNS name, wildcard (*.example.org) or IP"),
        bad("duplicate vmid", GOOD.replace("  - {name: box, kind: local}", "  - {vmid: 101, kind: lxc, via: pve}"),
            "bad.yaml:6:6: guests[1].vmid: duplicate guest lxc/101 (first at guests[0])"),
        bad("not yaml", "ca: [unclosed", "bad.yaml:1:14: not valid YAML"),
        bad("step-ca without its settings", GOOD.replace("type: local, dataDir: /tmp/ca", "type: step-ca"),
            "bad.yaml:1:1: ca.url: missing: the step-ca URL, e.g. https://ca.internal:9000"),
        bad("unknown top-level key", "cas: {}\n" + GOOD, "bad.yaml:1:1: cas: unknown key 'cas'"),
        bad("after an unknown certificate", GOOD + API.formatted("nobody"),
            "bad.yaml:22:5: certificates[1].after: unknown certificate 'nobody' (after names a certificate listed "
                + "earlier)"),
        bad("after itself", GOOD + API.formatted("api"),
            "bad.yaml:22:5: certificates[1].after: a certificate cannot come after itself"),
        bad("after a later certificate that comes after it: a cycle", GOOD.replace("reload: {type: command, argv: "
                + "[nginx, -s, reload]}", "reload: {type: command, argv: [nginx, -s, reload]}\n    after: api")
                + API.formatted("web"),
            "bad.yaml:18:5: certificates[0].after: 'api' is listed later (certificates[1]): after names a certificate "
                + "listed earlier, so that the inventory's order is the renewal order; that makes a cycle: "
                + "web -> api -> web"),
        bad("the same certificate twice", GOOD + API.formatted("[web, web]"),
            "bad.yaml:22:18: certificates[1].after[1]: 'web' is named twice"));
  }

  static Arguments bad(String what, String yaml, String expected) {
    return Arguments.of(what, yaml, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInventories")
  void aBadInventoryNamesFileLineFieldAndReason(String what, String yaml, String expected) {
    InventoryException e = assertThrows(InventoryException.class, () -> loader.parse("bad.yaml", yaml));
    assertTrue(e.errors().stream().anyMatch(error -> error.toString().startsWith(expected)),
        what + ": expected a line starting with\n  " + expected + "\ngot\n" + e.getMessage());
  }

  @Test
  void systemdAndDockerStepsTakeTheirOptionsFlatOrUnderOptions() {
    Inventory flat = loader.parse("flat.yaml", GOOD.replace(RELOAD, "reload: {type: systemd, unit: nginx, action: "
        + "restart, timeout: 2m}"));
    assertEquals(new StepSpec("systemd", List.of(), Map.of("unit", "nginx", "action", "restart", "timeout", "2m")),
        flat.certificates().get(0).reload());
    Inventory nested = loader.parse("nested.yaml", GOOD.replace(RELOAD, "reload: {type: docker, options: "
        + "{container: portainer}}"));
    assertEquals(new StepSpec("docker", List.of(), Map.of("container", "portainer")),
        nested.certificates().get(0).reload());
    Inventory tls = loader.parse("tls.yaml",
        GOOD + "    verify: {type: tls, endpoint: 127.0.0.1:443, serverName: a.test}\n");
    assertEquals(Map.of("endpoint", "127.0.0.1:443", "serverName", "a.test"),
        tls.certificates().get(0).verify().options());
  }

  @Test
  void anAcmeIssuerIsReadLikeAnyPluginAndConnectsToNothingYet() {
    Inventory acme = loader.parse("acme.yaml", GOOD.replace(LOCAL_CA, ACME_CA)
        .replace("[\"*.internal.thinkheads.ai\", 10.0.0.1]", "[web.internal.thinkheads.ai]"));
    assertEquals("acme", acme.ca().type());
    assertEquals("60s", acme.ca().get("challengeTimeout"), "the declared default");
    Issuer issuer = PLUGINS.issuer(acme.ca(), IssuerContext.none());
    assertEquals("acme", issuer.type());
    assertEquals("https://ca.test:9000/health", issuer.healthUrl(), "a pinned step-ca's health, for onboarding");
  }

  @Test
  void afterNamesEarlierCertificatesAsOneNameOrAList() {
    Inventory one = loader.parse("good.yaml", GOOD + API.formatted("web"));
    assertEquals(List.of(), one.certificates().get(0).after());
    assertEquals(List.of("web"), one.certificates().get(1).after());
    Inventory list = loader.parse("good.yaml", GOOD + API.formatted("[web]") + """
          - name: edge
            guest: box
            sans: [edge.test]
            files: {cert: edge.crt, key: edge.key}
            after: [web, api]
        """);
    assertEquals(List.of("web"), list.certificates().get(1).after());
    assertEquals(List.of("web", "api"), list.certificates().get(2).after());
  }

  @Test
  void aLaterListedCertificateIsRefusedAndALongerCycleIsNamed() {
    String three = """
        ca: {type: local, dataDir: /tmp/ca}
        guests:
          - {name: box, kind: local}
        certificates:
          - {name: a, guest: box, sans: [a.test], files: {cert: a.crt, key: a.key}, after: c}
          - {name: b, guest: box, sans: [b.test], files: {cert: b.crt, key: b.key}, after: a}
          - {name: c, guest: box, sans: [c.test], files: {cert: c.crt, key: c.key}, after: b}
          - {name: d, guest: box, sans: [d.test], files: {cert: d.crt, key: d.key}, after: e}
          - {name: e, guest: box, sans: [e.test], files: {cert: e.crt, key: e.key}}
        """;
    InventoryException e = assertThrows(InventoryException.class, () -> loader.parse("order.yaml", three));
    assertEquals(List.of(
        "order.yaml:5:77: certificates[0].after: 'c' is listed later (certificates[2]): after names a certificate "
            + "listed earlier, so that the inventory's order is the renewal order; that makes a cycle: a -> c -> b "
            + "-> a",
        "order.yaml:8:77: certificates[3].after: 'e' is listed later (certificates[4]): after names a certificate "
            + "listed earlier, so that the inventory's order is the renewal order"),
        e.errors().stream().map(Object::toString).toList());
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    String yaml = GOOD.replace("key: rsa-3072", "key: dsa\n    colour: blue").replace("guest: 101", "guest: 7")
        .replace("lifetime: 90d", "lifetime: soon");
    InventoryException e = assertThrows(InventoryException.class, () -> loader.parse("bad.yaml", yaml));
    assertEquals(4, e.errors().size(), e.getMessage());
  }

  @Test
  void theExamplesAreValid() {
    Inventory demo = loader.load(Path.of("../examples/demo.yaml"));
    assertEquals(3, demo.certificates().size());
    Inventory phoenix = loader.load(Path.of("../examples/phoenix.yaml"));
    assertEquals(List.of("internal-traefik-proxy", "portainer-server", "portainer-server-client"),
        phoenix.certificates().stream().map(CertificateSpec::name).toList());
    assertEquals(List.of("portainer-server"), phoenix.certificates().get(2).after());
    assertEquals(6, phoenix.guests().size());
    assertEquals("step-ca", phoenix.ca().type());
  }

  @Test
  void theRootFingerprintIsTakenInTheFormsPeoplePasteIt() {
    String hex = "c18520f1" + "0".repeat(56);
    String colons = String.join(":", hex.toUpperCase().split("(?<=\\G..)"));
    for (String pasted : List.of(hex, hex.toUpperCase(), colons, colons.toLowerCase(), "sha256 Fingerprint=" + colons,
        "SHA256 Fingerprint=" + colons)) {
      Inventory inventory = loader.parse("fp.yaml", "ca: {type: step-ca, url: https://ca.internal:9000, fingerprint: '"
          + pasted + "', provisioner: admin, passwordFile: /p}\n");
      assertEquals(hex, ai.thinkheads.phoenix.certs.activities.issuer.stepca.StepCaConfig.normalizeFingerprint(
          inventory.ca().get("fingerprint")), pasted);
    }
    InventoryException bad = assertThrows(InventoryException.class, () -> loader.parse("fp.yaml",
        "ca: {type: step-ca, url: https://ca.internal:9000, fingerprint: 'C1:85', provisioner: a, passwordFile: /p}\n"));
    assertTrue(bad.getMessage().contains("is not a SHA-256 fingerprint"), bad.getMessage());
  }
}
