package ai.thinkheads.phoenix.certs.activities.testing.acme;

import ai.thinkheads.phoenix.certs.activities.testing.guest.SimulatedGuest;
import ai.thinkheads.phoenix.certs.activities.transport.ExecResult;
import ai.thinkheads.phoenix.certs.activities.transport.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The web server of a guest as an ACME CA sees it: a real nginx inside the simulated guest, serving the webroot's
 * {@code /.well-known/acme-challenge/} over plain HTTP on the testbed's address (port 80 and pebble's port),
 * started and stopped over the guest's transport. Workers run as root: the webroot sits under the test's
 * private temp folders.
 */
public final class ChallengeNginx {

  private final Path dir;
  private final Path webroot;

  public ChallengeNginx(SimulatedGuest guest, String address, List<Integer> ports) {
    this.dir = guest.dir().resolve("acme-http");
    this.webroot = guest.dir().resolve("acme-webroot");
    String listen = ports.stream().map(p -> "    listen " + address + ":" + p + ";")
        .collect(Collectors.joining("\n"));
    try {
      Files.createDirectories(dir.resolve("tmp"));
      Files.createDirectories(webroot);
      Files.writeString(config(), """
          user root;
          pid %1$s/nginx.pid;
          error_log %1$s/error.log;
          worker_processes 1;
          events { worker_connections 64; }
          http {
            access_log %1$s/access.log;
            keepalive_timeout 0;  # no connection for the CA to reuse once a test points a name elsewhere
            client_body_temp_path %1$s/tmp/body;
            proxy_temp_path %1$s/tmp/proxy;
            fastcgi_temp_path %1$s/tmp/fastcgi;
            uwsgi_temp_path %1$s/tmp/uwsgi;
            scgi_temp_path %1$s/tmp/scgi;
            server {
          %2$s
              location /.well-known/acme-challenge/ {
                root %3$s;
                default_type text/plain;
              }
            }
          }
          """.formatted(dir, listen, webroot));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the inventory's {@code webroot} names: the same path in the guest. */
  public String webroot() {
    return webroot.toString();
  }

  public void start(Transport guest) {
    ExecResult started = guest.exec(List.of("nginx", "-c", config().toString(), "-e",
        dir.resolve("error.log").toString()), Duration.ofSeconds(10));
    if (!started.succeeded()) {
      throw new IllegalStateException("the challenge nginx did not start: " + started.tail());
    }
  }

  public void stop(Transport guest) {
    guest.exec(List.of("sh", "-c", "[ -s \"$1\" ] && kill \"$(cat \"$1\")\" || true", "stop",
        dir.resolve("nginx.pid").toString()), Duration.ofSeconds(10));
  }

  /** Challenge answers still in the webroot: none once every issuance is over. */
  public List<String> leftovers() {
    Path challenges = webroot.resolve(".well-known/acme-challenge");
    if (!Files.isDirectory(challenges)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(challenges)) {
      return files.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The requests the CA made, as nginx logged them: the proof that validation went through the guest. */
  public String accessLog() {
    try {
      Path log = dir.resolve("access.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path config() {
    return dir.resolve("nginx.conf");
  }
}
