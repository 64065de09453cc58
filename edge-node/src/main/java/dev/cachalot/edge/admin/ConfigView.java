package dev.cachalot.edge.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.cachalot.config.EdgeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** {@code /admin/config}: the effective configuration as JSON, with every secret replaced by {@code <redacted>}. */
final class ConfigView {
  static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
      .addSerializer(Duration.class, new StdSerializer<>(Duration.class) {
        @Override
        public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
          g.writeString(dev.cachalot.config.Durations.format(d));
        }
      })
      .addSerializer(Path.class, new StdSerializer<>(Path.class) {
        @Override
        public void serialize(Path v, JsonGenerator g, SerializerProvider p) throws IOException {
          g.writeString(v.toString());
        }
      }));

  private ConfigView() {}

  static JsonNode of(EdgeConfig config) {
    JsonNode tree = JSON.valueToTree(config);
    redact(tree);
    return tree;
  }

  /** Any field whose name says secret, token or password. */
  private static void redact(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        String name = f.getKey().toLowerCase(Locale.ROOT);
        boolean secret = name.contains("secret") || name.contains("token") || name.contains("password");
        if (secret && !f.getValue().isNull()) {
          f.setValue(o.textNode("<redacted>"));
        } else {
          redact(f.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(ConfigView::redact);
    }
  }
}
