package ai.thinkheads.phoenix.certs.worker.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** One scrape of a Prometheus text exposition, parsed into samples, for tests to look values up. */
final class Scrape {

  record Sample(String name, Map<String, String> labels, double value) {}

  final String text;
  final List<Sample> samples;

  private Scrape(String text) {
    this.text = text;
    this.samples = parse(text);
  }

  static Scrape of(String text) {
    return new Scrape(text);
  }

  /** GET {@code url} with {@code token} (null: none); fails unless the answer is 200. */
  static Scrape get(HttpClient http, URI url, String token) throws IOException, InterruptedException {
    HttpResponse<String> answer = http.send(request(url, token), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new AssertionError("GET " + url + ": " + answer.statusCode() + " " + answer.body());
    }
    return new Scrape(answer.body());
  }

  static HttpRequest request(URI url, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(url).GET();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder.build();
  }

  /** The samples of {@code name} whose labels include {@code labels} (given as k, v, k, v...). */
  List<Sample> find(String name, String... labels) {
    List<Sample> out = new ArrayList<>();
    for (Sample sample : samples) {
      if (!sample.name().equals(name)) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        all &= labels[i + 1].equals(sample.labels().get(labels[i]));
      }
      if (all) {
        out.add(sample);
      }
    }
    return out;
  }

  /** The one sample's value; empty when there is none; fails when there are several. */
  OptionalDouble value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    if (found.size() > 1) {
      throw new AssertionError(found.size() + " samples of " + name + " " + List.of(labels) + ": " + found);
    }
    return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
  }

  private static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        String body = line.substring(brace + 1, line.lastIndexOf('}'));
        int i = 0;
        while (i < body.length()) {
          int eq = body.indexOf('=', i);
          String key = body.substring(i, eq).trim();
          StringBuilder value = new StringBuilder();
          int j = eq + 2; // past ="
          while (body.charAt(j) != '"') {
            if (body.charAt(j) == '\\') {
              j++;
            }
            value.append(body.charAt(j++));
          }
          labels.put(key, value.toString());
          i = j + 1;
          if (i < body.length() && body.charAt(i) == ',') {
            i++;
          }
        }
      } else {
        name = line.substring(0, line.indexOf(' '));
      }
      String[] tail = line.substring(line.lastIndexOf('}') + 1).trim().split(" ");
      if (brace < 0) {
        tail = line.substring(name.length()).trim().split(" ");
      }
      out.add(new Sample(name, labels, Double.parseDouble(tail[0])));
    }
    return out;
  }
}
