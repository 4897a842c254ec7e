package dev.infera.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The container image's JVM settings, read from the {@code image} profile's Jib configuration in
 * infera-server's pom (the image itself is not built or run here: building it needs the jlink'd
 * runtime of deploy/image/prepare-root.sh and running it a container runtime or root;
 * deploy/image/run-entrypoint.sh does that by hand). The entrypoint carries {@code
 * -XX:+ExitOnOutOfMemoryError}, as {@code bin/infera serve} does, so an OutOfMemoryError ends the
 * container and Kubernetes restarts it. The heap default is in the image's {@code
 * JAVA_TOOL_OPTIONS}, never in the entrypoint: the JVM reads that variable before the command line,
 * so a heap flag in the entrypoint would silently override what the Helm chart and the KServe
 * runtime set.
 */
class ImageJvmFlagsTest {
  private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();

  @Test
  void theImageExitsOnOutOfMemoryAndLeavesTheHeapToTheDeployment() throws Exception {
    Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(ROOT.resolve("infera-server/pom.xml").toFile());
    String jib =
        "/project/profiles/profile[id='image']/build/plugins/plugin"
            + "[artifactId='jib-maven-plugin']/configuration/container";
    List<String> entrypoint = texts(pom, jib + "/entrypoint/arg");
    String toolOptions =
        (String)
            XPathFactory.newInstance()
                .newXPath()
                .evaluate(jib + "/environment/JAVA_TOOL_OPTIONS", pom, XPathConstants.STRING);

    assertThat(entrypoint).as("entrypoint").isNotEmpty().contains("-XX:+ExitOnOutOfMemoryError");
    assertThat(entrypoint.indexOf("-XX:+ExitOnOutOfMemoryError"))
        .as("the flag comes before the main class")
        .isLessThan(entrypoint.indexOf("dev.infera.server.cli.InferaCommand"));
    assertThat(entrypoint)
        .as("no heap size in the entrypoint (it would override JAVA_TOOL_OPTIONS)")
        .noneMatch(arg -> arg.startsWith("-Xmx") || arg.contains("RAMPercentage"));
    assertThat(toolOptions).as("image JAVA_TOOL_OPTIONS").contains("-XX:MaxRAMPercentage=60");
    // bin/infera's INFERA_JIT=fast-warmup flags: named the same in the Helm chart's comment on
    // server.jitOptions, which passes them on in JAVA_TOOL_OPTIONS.
    String jit =
        "-XX:MaxInlineLevel=9 -XX:InlineSmallCode=1000 -XX:FreqInlineSize=100"
            + " -XX:CompileThresholdScaling=0.25";
    assertThat(Files.readString(ROOT.resolve("bin/infera")).replaceAll("\\s+", " ")).contains(jit);
    assertThat(
            Files.readString(ROOT.resolve("deploy/helm/infera/values.yaml"))
                .replaceAll("\\s*#\\s*", " "))
        .contains(jit);
    assertThat(Files.readString(ROOT.resolve("deploy/helm/infera/templates/deployment.yaml")))
        .contains("{{ .Values.server.jitOptions }}");

    // The deployments set their own JAVA_TOOL_OPTIONS, replacing the image's: each names a heap.
    assertThat(Files.readString(ROOT.resolve("deploy/helm/infera/templates/deployment.yaml")))
        .contains("JAVA_TOOL_OPTIONS")
        .contains("-XX:MaxRAMPercentage={{ .Values.server.maxRamPercentage }}");
    assertThat(Files.readString(ROOT.resolve("deploy/kserve/infera-runtime.yaml")))
        .contains("JAVA_TOOL_OPTIONS")
        .contains("-XX:MaxRAMPercentage=60");
    // bin/infera, the other way the server starts, carries the same flag.
    assertThat(Files.readString(ROOT.resolve("bin/infera")))
        .contains("jvm_opts=(-XX:+ExitOnOutOfMemoryError)");
  }

  private static List<String> texts(Document pom, String path) throws Exception {
    NodeList nodes =
        (NodeList)
            XPathFactory.newInstance().newXPath().evaluate(path, pom, XPathConstants.NODESET);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent().trim());
    }
    return texts;
  }
}
