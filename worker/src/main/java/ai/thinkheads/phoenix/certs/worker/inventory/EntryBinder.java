package ai.thinkheads.phoenix.certs.worker.inventory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Binds one entry of the tree to its record with Jackson. Unknown keys are reported and skipped so that every
 * one of them is found, not just the first; a value of the wrong type is reported at its own line.
 */
final class EntryBinder {

  private final ObjectMapper mapper = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
  private final Problems problems;

  EntryBinder(Problems problems) {
    this.problems = problems;
  }

  <T> Optional<T> bind(JsonNode node, String pointer, Class<T> type) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      problems.at(pointer, "expected a mapping of keys to values, found " + describe(node));
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(mapper.readerFor(type).withHandler(new UnknownKeys(pointer)).readValue(node));
    } catch (JsonMappingException e) {
      problems.at(pointer + pathOf(e), reason(e));
      return Optional.empty();
    } catch (IOException e) {
      problems.at(pointer, e.getMessage());
      return Optional.empty();
    }
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      out.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
    }
    return out.toString();
  }

  private static String reason(JsonMappingException e) {
    if (e instanceof InvalidFormatException bad) {
      return "'" + bad.getValue() + "' is not " + expected(bad.getTargetType());
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "expected " + expected(mismatch.getTargetType());
    }
    return e.getOriginalMessage();
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type == String.class) {
      return "a text value";
    }
    return "a mapping of keys to values";
  }

  static String describe(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return "'" + node.asText() + "'";
  }

  /** Reports an unknown key with the keys that are allowed there, then skips it and goes on. */
  private final class UnknownKeys extends DeserializationProblemHandler {
    private final String entryPointer;

    UnknownKeys(String entryPointer) {
      this.entryPointer = entryPointer;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
        JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
      String at = parser.getParsingContext().pathAsPointer().toString();
      if (!at.endsWith("/" + propertyName)) {
        at = at + "/" + propertyName;
      }
      problems.at(entryPointer + at, "unknown key '" + propertyName + "' (known: "
          + String.join(", ", new TreeSet<>(deserializer.getKnownPropertyNames().stream().map(String::valueOf)
              .toList())) + ")");
      parser.skipChildren();
      return true;
    }
  }
}
