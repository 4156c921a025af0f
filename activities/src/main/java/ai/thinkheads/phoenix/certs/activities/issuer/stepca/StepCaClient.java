package ai.thinkheads.phoenix.certs.activities.issuer.stepca;

import ai.thinkheads.phoenix.certs.activities.issuer.RevocationReason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * The step-ca HTTP API, one method per endpoint, over one {@link HttpClient} (thread-safe, pooled). Trust is the
 * SSLContext's business: {@link PinnedRoot} makes one that trusts the pinned root only. Errors leave as
 * {@link StepCaResponseException} (the CA answered no), {@link StepCaTlsRefusedException} (trust failed) or
 * {@link StepCaUnavailableException} (network).
 */
public final class StepCaClient {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final URI base;
  private final HttpClient http;

  public StepCaClient(URI base, SSLContext ssl) {
    this.base = base;
    this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(CONNECT_TIMEOUT).build();
  }

  /** {@code POST /1.0/sign} answer: the leaf, its issuer, and the chain (leaf first). */
  public record SignResponse(String crt, String ca, List<String> certChain) {}

  /** One page of {@code GET /1.0/provisioners}; an empty {@code nextCursor} ends the list. */
  public record ProvisionersPage(List<JsonNode> provisioners, String nextCursor) {}

  record RootsResponse(List<String> crts) {}

  record CaError(int status, String message) {}

  public URI base() {
    return base;
  }

  /** The CA's roots as PEM ({@code GET /roots}; step-ca 0.19 answers 201). */
  public List<String> roots() {
    RootsResponse roots = parse(get("/roots", "list the roots"), RootsResponse.class, "/roots");
    return roots.crts() == null ? List.of() : roots.crts();
  }

  public ProvisionersPage provisioners(String cursor, int limit) {
    String query = "?limit=" + limit + (cursor == null || cursor.isEmpty() ? ""
        : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    return parse(get("/1.0/provisioners" + query, "list the provisioners"), ProvisionersPage.class,
        "/1.0/provisioners");
  }

  /** Signs a CSR with a one-time token; {@code lifetime} null leaves the provisioner's default. */
  public SignResponse sign(String csrPem, String ott, Duration lifetime, String what) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("csr", csrPem);
    body.put("ott", ott);
    if (lifetime != null) {
      body.put("notAfter", lifetime.toSeconds() + "s"); // a Go duration: relative to the moment it signs
    }
    return parse(post("/1.0/sign", body, what), SignResponse.class, "/1.0/sign");
  }

  /** Renews the certificate this client presents over mTLS, keeping its key. */
  public SignResponse renew(String what) {
    return parse(post("/1.0/renew", Map.of(), what), SignResponse.class, "/1.0/renew");
  }

  /** Renews the certificate this client presents over mTLS, for the CSR's new key. */
  public SignResponse rekey(String csrPem, String what) {
    return parse(post("/1.0/rekey", Map.of("csr", csrPem), what), SignResponse.class, "/1.0/rekey");
  }

  /** Passive revocation (the CA stops renewing it; no CRL or OCSP in step-ca 0.19), authorized by a token. */
  public void revoke(String serialDecimal, String ott, RevocationReason reason, String what) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("serial", serialDecimal);
    body.put("ott", ott);
    body.put("reasonCode", reason.code());
    body.put("reason", reason.name().toLowerCase(java.util.Locale.ROOT));
    body.put("passive", true);
    post("/1.0/revoke", body, what);
  }

  private String get(String path, String what) {
    return exchange(HttpRequest.newBuilder(URI.create(base + path)).GET(), "GET", path, what);
  }

  private String post(String path, Map<String, ?> body, String what) {
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the request for " + path, e);
    }
    return exchange(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)), "POST", path, what);
  }

  /** Sends; returns the body of a 2xx answer; turns anything else into an exception that says what failed. */
  private String exchange(HttpRequest.Builder request, String method, String path, String what) {
    String where = method + " " + base + path + " (" + what + ")";
    HttpResponse<String> response;
    try {
      response = http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      SSLHandshakeException handshake = handshakeFailure(e);
      if (handshake != null) {
        throw new StepCaTlsRefusedException(where + ": TLS handshake failed: " + handshake.getMessage()
            + "; the CA's certificate does not chain to the pinned root, or the CA refused our client certificate",
            e);
      }
      throw new StepCaUnavailableException(where + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepCaUnavailableException(where + ": interrupted", e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body();
    }
    throw new StepCaResponseException(where, status, caMessage(response.body()),
        retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
  }

  /**
   * A Retry-After header: seconds, or an HTTP date (RFC 9110); null when absent or unreadable, then the limiter
   * takes its own short pause.
   */
  static java.time.Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.strip();
    try {
      return java.time.Duration.ofSeconds(Long.parseLong(value));
    } catch (NumberFormatException notSeconds) {
      try {
        java.time.Instant at = java.time.ZonedDateTime.parse(value,
            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        java.time.Duration left = java.time.Duration.between(java.time.Instant.now(), at);
        return left.isNegative() ? java.time.Duration.ZERO : left;
      } catch (java.time.format.DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  /** The CA's {@code message}, or the start of whatever else it sent (never a secret: it is the CA's answer). */
  private static String caMessage(String body) {
    try {
      CaError error = JSON.readValue(body, CaError.class);
      if (error.message() != null && !error.message().isBlank()) {
        return error.message();
      }
    } catch (IOException | RuntimeException e) {
      // not step-ca's JSON: a proxy in between, or a crash; show what came
    }
    String trimmed = body == null ? "" : body.strip();
    return trimmed.isEmpty() ? "(empty answer)" : trimmed.substring(0, Math.min(trimmed.length(), 300));
  }

  private static <T> T parse(String body, Class<T> type, String path) {
    try {
      return JSON.readValue(body, type);
    } catch (JsonProcessingException e) {
      throw new StepCaUnavailableException("unexpected answer from " + path + ": not the JSON step-ca sends ("
          + e.getOriginalMessage() + ")", e);
    }
  }

  private static SSLHandshakeException handshakeFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException handshake) {
        return handshake;
      }
    }
    return null;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : ": " + root.getMessage();
    return root.getClass().getSimpleName() + message;
  }
}
