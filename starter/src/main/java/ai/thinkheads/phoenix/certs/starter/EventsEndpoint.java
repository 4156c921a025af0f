package ai.thinkheads.phoenix.certs.starter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The worker's events endpoint, as the hookscript reaches it: same URL and token file, same variables
 * (PHOENIX_URL, PHOENIX_TOKEN_FILE). {@code guest-event} and {@code onboard} go through it because the worker
 * holds the inventory that says how to reach each guest; the CLI needs neither the inventory nor SSH.
 */
final class EventsEndpoint {

  static final String DEFAULT_URL = "http://127.0.0.1:8742";
  static final String DEFAULT_TOKEN_FILE = "/etc/phoenix-certs/events.token";
  /** The token `dev` makes when none is configured (relative to where it runs, as bin/dev does from the root). */
  static final Path DEV_TOKEN_FILE = Path.of("var", "events.token");

  @Option(names = "--url", defaultValue = "${env:PHOENIX_URL:-" + DEFAULT_URL + "}",
      description = "the worker's events endpoint (default: PHOENIX_URL, else ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--token-file", defaultValue = "${env:PHOENIX_TOKEN_FILE:-" + DEFAULT_TOKEN_FILE + "}",
      description = "file holding the endpoint's bearer token (default: PHOENIX_TOKEN_FILE, else ${DEFAULT-VALUE})")
  Path tokenFile;

  /** The endpoint's answer: HTTP status and the JSON it sent. */
  record Answer(int status, JsonNode body) {
    String text(String field) {
      return body.path(field).asText(null);
    }

    /** "guest/101: onboarding started (run ...)" or the worker's message for an ignored phase. */
    String workflowLine() {
      String workflowId = text("workflowId");
      return workflowId == null ? text("message")
          : workflowId + ": onboarding started or joined (run " + text("runId") + ")";
    }

    /** The message or error the worker gave, for one line of output. */
    String reason() {
      String error = text("error");
      return error != null ? error : text("message");
    }
  }

  /** A failure to talk to the endpoint at all; the message says what to check. */
  static final class Unreachable extends Exception {
    Unreachable(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  Answer postGuestEvent(long vmid, String phase, String node, String kind) throws Unreachable, IOException {
    String body = JSON.writeValueAsString(Map.of("vmid", vmid, "phase", phase, "node", node, "kind", kind));
    URI endpoint = uri("/events/guest");
    return send(endpoint, HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** An operator's onboarding of a guest named as the inventory lists it (the Proxmox host has no vmid). */
  Answer postOnboardByName(String guest) throws Unreachable, IOException {
    String body = JSON.writeValueAsString(Map.of("guest", guest, "phase", "manual"));
    URI endpoint = uri("/events/guest");
    return send(endpoint, HttpRequest.newBuilder(endpoint)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** {@code GET /status}: the worker's status projection (where Temporal cannot list the workflows). */
  Answer getStatus() throws Unreachable, IOException {
    URI endpoint = uri("/status");
    return send(endpoint, HttpRequest.newBuilder(endpoint).GET());
  }

  private URI uri(String path) {
    return URI.create(url.replaceAll("/+$", "") + path);
  }

  private Answer send(URI endpoint, HttpRequest.Builder builder) throws Unreachable, IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    HttpRequest request = builder
        .timeout(Duration.ofSeconds(15))
        .header("Authorization", "Bearer " + token())
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new Unreachable("cannot reach the worker at " + endpoint + " (" + e.getClass().getSimpleName()
          + "); is `phoenix-certs-worker run` up with the events endpoint on? (--url, PHOENIX_URL)");
    } catch (HttpTimeoutException e) {
      throw new Unreachable("the worker at " + endpoint + " did not answer within 15 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted");
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException notJson) {
      answer = JSON.createObjectNode().put("error", "HTTP " + response.statusCode() + " from " + endpoint
          + " is not the phoenix-certs worker (--url?)");
    }
    return new Answer(response.statusCode(), answer);
  }

  private String token() throws IOException {
    Path tokenFile = this.tokenFile;
    if (tokenFile.equals(Path.of(DEFAULT_TOKEN_FILE)) && !Files.exists(tokenFile) && Files.exists(DEV_TOKEN_FILE)) {
      tokenFile = DEV_TOKEN_FILE; // `dev` run from this directory made its own
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(tokenFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read the token file " + tokenFile + " (" + e.getClass().getSimpleName()
          + "); name it with --token-file or PHOENIX_TOKEN_FILE (the worker's phoenix.events.token-file)");
    }
    return lines.isEmpty() ? "" : lines.get(0).strip();
  }
}
