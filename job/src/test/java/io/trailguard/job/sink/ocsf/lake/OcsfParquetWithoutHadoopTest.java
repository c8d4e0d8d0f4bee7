package io.trailguard.job.sink.ocsf.lake;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * hadoop-client-api is a compile-only dependency: this writes a ZSTD Parquet file of a finding in a class loader that
 * has the test class path without any Hadoop jar (and no parent that has one), as the shaded job jar runs on Managed
 * Flink; a Hadoop class needed on the writer's path fails here with NoClassDefFoundError. The file is read back
 * outside it: parquet-java's read options build a Hadoop codec factory by default (Trailguard only writes).
 */
class OcsfParquetWithoutHadoopTest {
    @Test
    void theParquetWriterAndReaderNeedNoHadoopClass() throws Exception {
        List<URL> urls = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String entry : classPath()) {
            if (entry.contains("hadoop-client") || entry.contains("/org/apache/hadoop/")) {
                dropped.add(entry);
            } else {
                urls.add(Paths.get(entry).toUri().toURL());
            }
        }
        assertThat(dropped).as("the test class path has Hadoop, which this test takes away").isNotEmpty();
        assertThat(Class.forName("org.apache.hadoop.conf.Configuration", false, getClass().getClassLoader())).isNotNull();
        Path file;
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> isolated.loadClass("org.apache.hadoop.conf.Configuration"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> probe = isolated.loadClass(HadoopFreeProbe.class.getName());
            assertThat(probe.getClassLoader()).isSameAs(isolated);
            @SuppressWarnings("unchecked")
            Callable<String> run = (Callable<String>) probe.getDeclaredConstructor().newInstance();
            file = Paths.get(run.call());
        }
        ParquetFindings back = ParquetFindings.read(file);
        assertThat(back.codecs).containsExactly(CompressionCodecName.ZSTD);
        assertThat(back.findings).hasSize(1);
        assertThat(back.findings.get(0).path("finding_info").path("uid").asText()).isEqualTo("probe");
        Files.delete(file);
    }

    /** The entries of the test class path (surefire may pass them in a manifest-only jar). */
    private static List<String> classPath() throws Exception {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("surefirebooter") && e.endsWith(".jar")) {
                try (JarFile jar = new JarFile(e)) {
                    Manifest m = jar.getManifest();
                    for (String u : m.getMainAttributes().getValue("Class-Path").split(" ")) {
                        out.add(Paths.get(new URL(u).toURI()).toString());
                    }
                }
            } else {
                out.add(e);
            }
        }
        return out;
    }
}
