package ai.thinkheads.phoenix.certs.worker.inventory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads YAML into a Jackson tree and remembers where every key and value stood, so that a problem found later
 * (a bad reference, a duplicate name) can still be reported at its line. Duplicate keys are reported here.
 */
final class LocatedYaml {

  private static final YAMLFactory YAML = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, Location> locations = new HashMap<>();
  private final Problems problems;

  private LocatedYaml(Problems problems) {
    this.problems = problems;
  }

  /** The tree, or null when the text is not YAML at all (the problem is then recorded). */
  static LocatedYaml.Document parse(String text, Problems problems) {
    LocatedYaml reader = new LocatedYaml(problems);
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        problems.add("", Location.START, "the file is empty");
        return null;
      }
      JsonNode root = reader.value(parser, "");
      return new Document(root, reader.locations);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      problems.add("", at == null ? Location.START : new Location(at.getLineNr(), at.getColumnNr()),
          "not valid YAML: " + e.getOriginalMessage());
      return null;
    } catch (IOException e) {
      problems.add("", Location.START, "cannot read: " + e.getMessage());
      return null;
    }
  }

  private JsonNode value(JsonParser parser, String pointer) throws IOException {
    JsonLocation start = parser.currentTokenLocation();
    locations.putIfAbsent(pointer, new Location(start.getLineNr(), start.getColumnNr()));
    switch (parser.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          JsonLocation keyAt = parser.currentTokenLocation();
          Location keyLocation = new Location(keyAt.getLineNr(), keyAt.getColumnNr());
          String child = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
          parser.nextToken();
          if (object.has(key)) {
            problems.add(child, keyLocation, "duplicate key '" + key + "'");
            value(parser, child + "#dup");
            continue;
          }
          locations.put(child, keyLocation);
          object.set(key, value(parser, child));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(value(parser, pointer + "/" + index++));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return NODES.numberNode(parser.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(parser.getDecimalValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(parser.getBooleanValue());
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> {
        return NODES.textNode(parser.getText());
      }
    }
  }

  /** A parsed document and the location of every pointer in it ("/certificates/0/sans"). */
  record Document(JsonNode root, Map<String, Location> locations) {

    /** Where a pointer stands, or its nearest ancestor when it does not exist (a missing field). */
    Location locate(String pointer) {
      String at = pointer;
      while (true) {
        Location found = locations.get(at);
        if (found != null || at.isEmpty()) {
          return found != null ? found : Location.START;
        }
        at = at.substring(0, Math.max(at.lastIndexOf('/'), 0));
      }
    }
  }
}
