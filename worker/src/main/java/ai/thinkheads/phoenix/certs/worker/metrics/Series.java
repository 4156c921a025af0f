package ai.thinkheads.phoenix.certs.worker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One metric whose series follow the inventory: {@link #set} registers the series it has not seen, updates the
 * rest, and removes those no longer given (a certificate removed from the inventory leaves no stale series). A
 * scrape reads the held values only.
 */
final class Series {

  enum Kind { GAUGE, COUNTER }

  private final MeterRegistry registry;
  private final String name;
  private final String help;
  private final Kind kind;
  private final Map<Tags, Held> held = new HashMap<>();

  private record Held(AtomicReference<Double> value, Meter meter) {}

  Series(MeterRegistry registry, String name, String help, Kind kind) {
    this.registry = registry;
    this.name = name;
    this.help = help;
    this.kind = kind;
  }

  /** Exactly these series, with these values, from now on. */
  synchronized void set(Map<Tags, Double> values) {
    for (Iterator<Map.Entry<Tags, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Tags, Held> entry = it.next();
      if (!values.containsKey(entry.getKey())) {
        registry.remove(entry.getValue().meter());
        it.remove();
      }
    }
    values.forEach((tags, value) -> {
      Held current = held.get(tags);
      if (current == null) {
        AtomicReference<Double> holder = new AtomicReference<>(value);
        Meter meter = kind == Kind.GAUGE
            ? Gauge.builder(name, holder, AtomicReference::get).tags(tags).description(help).register(registry)
            : FunctionCounter.builder(name, holder, AtomicReference::get).tags(tags).description(help)
                .register(registry);
        held.put(tags, new Held(holder, meter));
      } else {
        current.value().set(value);
      }
    });
  }
}
