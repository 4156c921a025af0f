package ai.thinkheads.phoenix.certs.activities.testing.acme;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The DNS the test ACME CAs resolve challenge names with: Debian's {@code pebble-challtestsrv} on 127.0.0.1,
 * answering every A query with one loopback address (where the guest's web server listens) unless told
 * otherwise for a name, and no AAAA. step-ca is pointed at it with {@code --resolver}, pebble with
 * {@code -dnsserver}; nothing else on the machine uses it.
 */
public final class ChallengeDns implements AutoCloseable {

  private final int dnsPort;
  private final int managementPort;
  private final LoggedProcess process;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ChallengeDns(int dnsPort, int managementPort, LoggedProcess process) {
    this.dnsPort = dnsPort;
    this.managementPort = managementPort;
    this.process = process;
  }

  static ChallengeDns start(String defaultAddress, Path dir) {
    int dnsPort = LoggedProcess.freePort();
    int managementPort = LoggedProcess.freePort();
    LoggedProcess process = LoggedProcess.start("pebble-challtestsrv", List.of("pebble-challtestsrv",
        "-dns01", "127.0.0.1:" + dnsPort, "-management", "127.0.0.1:" + managementPort, "-http01", "",
        "-https01", "", "-tlsalpn01", "", "-defaultIPv4", defaultAddress, "-defaultIPv6", ""), Map.of(),
        dir.resolve("challtestsrv.log"));
    ChallengeDns dns = new ChallengeDns(dnsPort, managementPort, process);
    process.awaitReady(dns::answers);
    return dns;
  }

  /** "127.0.0.1:port", for step-ca's {@code --resolver} and pebble's {@code -dnsserver}. */
  public String server() {
    return "127.0.0.1:" + dnsPort;
  }

  /** From now on {@code host} resolves to {@code address} (only). */
  public void point(String host, String address) {
    post("/add-a", "{\"host\":\"" + host + ".\",\"addresses\":[\"" + address + "\"]}");
  }

  private boolean answers() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/clear-a"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"ready.test.\"}")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void post(String path, String json) {
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + managementPort + path)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("pebble-challtestsrv " + path + " answered " + answer.statusCode() + ": "
            + answer.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("pebble-challtestsrv " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
