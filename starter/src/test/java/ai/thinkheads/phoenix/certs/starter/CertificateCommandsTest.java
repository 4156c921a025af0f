package ai.thinkheads.phoenix.certs.starter;

import static ai.thinkheads.phoenix.certs.starter.CertificateStack.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.thinkheads.phoenix.certs.starter.CertificateStack.Run;
import ai.thinkheads.phoenix.certs.workflows.certificate.CertificateWorkflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** renew and describe against the real certificate workflow (fake steps) on an embedded Temporal. */
class CertificateCommandsTest {

  static CertificateStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = new CertificateStack();
    for (String name : new String[] {"web", "broken"}) { // wait until both have inspected their target
      long deadline = System.currentTimeMillis() + 10_000;
      while (!stack.client.newWorkflowStub(CertificateWorkflow.class, "cert/" + name).status().phase()
          .startsWith("waiting")) {
        assertTrue(System.currentTimeMillis() < deadline, "cert/" + name + " did not settle");
        Thread.sleep(100);
      }
    }
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void renewWaitsForTheOutcomeAndExitsZeroWhenRenewed() {
    Run run = cli("renew", "web", "--wait", "--timeout", "PT30S", "--address", stack.address);
    assertEquals(0, run.exit(), run.out() + run.err());
    String serial = FakeCertificateActivities.LEAF.getSerialNumber().toString(16);
    assertTrue(run.out().contains("cert/web: renewal requested"), run.out());
    assertTrue(run.out().contains("issuing (renewal requested)"), "progress is printed: " + run.out());
    assertTrue(run.out().contains("cert/web: renewed: serial " + serial), run.out());

    Run describe = cli("describe", "web", "--address", stack.address);
    assertEquals(0, describe.exit(), describe.err());
    String text = describe.out();
    assertTrue(text.startsWith("cert/web"), text);
    assertTrue(text.contains("guest         lxc/101\n"), text);
    assertTrue(text.contains("SANs          web.internal.test, *.internal.test"), text);
    assertTrue(text.contains("deployed to   cert /etc/nginx/ssl/web.crt (0644), key /etc/nginx/ssl/web.key (0600)"),
        text);
    assertTrue(text.contains("serial        " + serial), text);
    assertTrue(text.contains("not after     2036-"), text);
    assertTrue(text.contains(", live:"), "the chain issued is the live one: " + text);
    assertTrue(text.contains("0 CN=web.internal.test"), text);
    assertTrue(text.contains("SANs web.internal.test, *.internal.test, 127.0.0.1"), text);
    assertTrue(text.contains("1 CN=Phoenix Test Root"), text);
    assertTrue(text.matches("(?s).*runs, newest first:.*running +renewed at [^\n]*\n[^\n]*unchanged at .*"),
        "the run that renewed, then the first run, which found the certificate fine: " + text);
  }

  @Test
  void renewExitsOneWhenTheRenewalIsRolledBack() {
    Run run = cli("renew", "broken", "--wait", "--timeout", "PT30S", "--address", stack.address);
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("cert/broken: rolled_back: ValidationFailed: Validate: nginx -t: unknown directive"),
        run.err());
    assertTrue(run.out().contains("rolling back"), run.out());
    Run describe = cli("describe", "broken", "--address", stack.address);
    assertEquals(1, describe.exit(), "describe says it needs attention");
    assertTrue(describe.out().contains("NOT live (the live serial is aa01)"), describe.out());
  }

  @Test
  void unknownCertificatesAndUnreachableTemporalAreOneLine() {
    Run missing = cli("renew", "nope", "--address", stack.address);
    assertEquals(1, missing.exit());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());
    assertTrue(missing.err().contains("cert/nope is not running"), missing.err());
    Run describe = cli("describe", "nope", "--address", stack.address);
    assertEquals(1, describe.exit());
    assertTrue(describe.err().contains("cert/nope is not running"), describe.err());
  }

  @Test
  void renewWithoutWaitOnlyRequests() {
    Run run = cli("renew", "web", "--address", stack.address);
    assertEquals(0, run.exit(), run.err());
    assertEquals("cert/web: renewal requested", run.out().strip().replaceAll(" \\(now: .*\\)$", ""));
  }
}
