package ai.thinkheads.phoenix.certs.worker.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code phoenix.metrics.*}: {@code GET /metrics} on the worker's HTTP server (same address and port as the events
 * endpoint), on by default; an optional bearer token file of its own; and how often the certificate, guest and CA
 * values are read from Temporal and the CA (a scrape only reads what the last refresh found, so scraping is cheap
 * however many certificates there are).
 */
@ConfigurationProperties("phoenix.metrics")
public record MetricsConfig(
    @Bindable(defaultValue = "true") boolean enabled,
    @Nullable String tokenFile,
    @Bindable(defaultValue = "15s") Duration refresh) {}
