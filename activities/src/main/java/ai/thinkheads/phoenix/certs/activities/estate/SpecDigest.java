package ai.thinkheads.phoenix.certs.activities.estate;

import ai.thinkheads.phoenix.certs.workflows.model.CertificateSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short, stable digest of a certificate's inventory entry: the same in every JVM, whatever the map order. */
public final class SpecDigest {

  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private SpecDigest() {}

  public static String of(CertificateSpec spec) {
    try {
      return of(CANONICAL.writeValueAsBytes(spec));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot digest " + spec.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The digest of any value Jackson can write (records, maps, lists), maps in key order: {@code toString()} of an
   * immutable map iterates in an order that differs between JVMs.
   */
  public static String ofValue(Object value) {
    try {
      return of(CANONICAL.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot digest " + value + ": " + e.getMessage(), e);
    }
  }

  /** SHA-256 of {@code bytes}, the first 16 hex digits: enough to tell versions of one entry apart. */
  public static String of(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }
}
