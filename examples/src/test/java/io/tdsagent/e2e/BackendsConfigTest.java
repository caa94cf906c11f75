package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The viewing set-up's files: otel-collector.yaml and Jaeger's configuration pass the real
 * binaries' own validation, and docker-compose.yml (Docker does not run here) is well-formed,
 * pinned, health-checked and mounts the same otel-collector.yaml.
 */
class BackendsConfigTest {
  static final Path COLLECTOR_YAML = Backends.ROOT.resolve("otel-collector.yaml");

  static String validate(Path binary, Path config) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(binary.toString(), "validate", "--config", config.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return p.exitValue() + "\n" + out;
  }

  @Test
  void collectorValidatesOtelCollectorYaml() throws Exception {
    Path bin = Backends.build();
    String ok = validate(bin.resolve("otelcol"), COLLECTOR_YAML);
    assertTrue(ok.startsWith("0\n"), ok);

    // The check is real: a misspelt tail-sampling setting is refused.
    Path broken = Files.createTempFile("otel-collector", ".yaml");
    try {
      String yaml = Files.readString(COLLECTOR_YAML, StandardCharsets.UTF_8);
      assertTrue(yaml.contains("sampling_percentage: ${env:OTELCOL_SAMPLING_PERCENTAGE:-10}"));
      Files.writeString(
          broken,
          yaml.replace(
              "sampling_percentage: ${env:OTELCOL_SAMPLING_PERCENTAGE:-10}",
              "sampling_percent: ${env:OTELCOL_SAMPLING_PERCENTAGE:-10}"),
          StandardCharsets.UTF_8);
      String bad = validate(bin.resolve("otelcol"), broken);
      assertFalse(bad.startsWith("0\n"), bad);
      assertTrue(bad.contains("sampling_percent"), bad);
    } finally {
      Files.deleteIfExists(broken);
    }
  }

  @Test
  void jaegerValidatesItsConfig() throws Exception {
    Path bin = Backends.build();
    String ok = validate(bin.resolve("jaeger"), Backends.SCRIPTS.resolve("jaeger-config.yaml"));
    assertTrue(ok.startsWith("0\n"), ok);
  }

  @Test
  void composeFileIsPinnedHealthCheckedAndMountsTheSameCollectorConfig() throws Exception {
    Path compose = Backends.ROOT.resolve("examples/docker-compose.yml");
    JsonNode services = new YAMLMapper().readTree(compose.toFile()).path("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("sqlserver", "jaeger", "otel-collector"), names);

    for (String name : names) {
      String image = services.path(name).path("image").asText();
      String tag = image.substring(image.lastIndexOf(':') + 1);
      assertTrue(
          image.contains(":") && tag.matches(".*\\d.*") && !tag.contains("latest"),
          () -> name + " not pinned: " + image);
    }
    assertTrue(services.path("sqlserver").path("healthcheck").path("test").size() > 0);
    assertTrue(services.path("jaeger").path("healthcheck").path("test").size() > 0);
    assertEquals(
        "service_healthy",
        services
            .path("otel-collector")
            .path("depends_on")
            .path("jaeger")
            .path("condition")
            .asText());

    // The Collector image is the release examples/backends/otelcol builds.
    String goMod =
        Files.readString(Backends.SCRIPTS.resolve("otelcol/go.mod"), StandardCharsets.UTF_8);
    Matcher contrib = Pattern.compile("tailsamplingprocessor v(\\S+)").matcher(goMod);
    assertTrue(contrib.find(), goMod);
    assertEquals(
        "otel/opentelemetry-collector-contrib:" + contrib.group(1),
        services.path("otel-collector").path("image").asText());

    // It mounts the repository's otel-collector.yaml and runs exactly that file.
    String volume = services.path("otel-collector").path("volumes").get(0).asText();
    String[] parts = volume.split(":");
    Path mounted = compose.getParent().resolve(parts[0]).normalize();
    assertEquals(COLLECTOR_YAML, mounted);
    assertTrue(Files.isRegularFile(mounted));
    JsonNode command = services.path("otel-collector").path("command");
    assertEquals("--config=" + parts[1], command.get(0).asText());
    assertNotEquals(
        "",
        services.path("otel-collector").path("environment").path("JAEGER_OTLP_ENDPOINT").asText());
  }
}
