package ai.thinkheads.phoenix.certs.worker.http;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code phoenix.events.*}: whether {@code run} and {@code dev} open the events endpoint, the file holding its
 * bearer token, and the hookscript's spool directory to drain when the worker starts (unset: none). Address and
 * port are Micronaut's own {@code micronaut.server.host} and {@code micronaut.server.port}.
 */
@ConfigurationProperties("phoenix.events")
public record EventsConfig(
    @Bindable(defaultValue = "true") boolean enabled,
    @Nullable String tokenFile,
    @Nullable String spoolDir) {}
