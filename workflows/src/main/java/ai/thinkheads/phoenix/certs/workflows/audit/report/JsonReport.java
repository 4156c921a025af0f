package ai.thinkheads.phoenix.certs.workflows.audit.report;

import ai.thinkheads.phoenix.certs.workflows.audit.AuditReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * The report as JSON: the {@link AuditReport} record's fields as named there, instants as ISO-8601 text, and
 * {@code schemaVersion} first (1 today; a field removed or changed in meaning raises it, a field added does not).
 * The schema is documented in the README ("Estate audit").
 */
public final class JsonReport {

  private static final ObjectMapper MAPPER = JacksonJsonPayloadConverter.newDefaultObjectMapper()
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(AuditReport report) {
    try {
      return MAPPER.writeValueAsString(report) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the audit report as JSON", e);
    }
  }

  public static AuditReport parse(String json) {
    try {
      return MAPPER.readValue(json, AuditReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an audit report: " + e.getOriginalMessage(), e);
    }
  }
}
