package io.trailguard.job.metrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every counter lands in the group Managed Flink exports, and only catalogued names can be registered. */
class ExportedMetricsTest {
    /** Records the groups asked for and the metrics registered in each (by path). */
    private static final class RecordingGroup extends UnregisteredMetricsGroup {
        final String path;
        final List<String> registered;

        RecordingGroup(String path, List<String> registered) {
            this.path = path;
            this.registered = registered;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(path.isEmpty() ? name : path + "." + name, registered);
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return addGroup(key + "=" + value);
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            registered.add(path + "/" + name);
            return counter;
        }
    }

    @Test
    void countersAreRegisteredDirectlyInTheKinesisAnalyticsGroup() {
        List<String> registered = new ArrayList<>();
        RecordingGroup operator = new RecordingGroup("", registered);
        Counter c = ExportedMetrics.counter(operator, Counters.DEAD_LETTERS);
        SimpleCounter own = new SimpleCounter();
        assertThat(ExportedMetrics.counter(operator, MetricCatalog.FINDINGS_DEAD_LETTERED, own)).isSameAs(own);
        c.inc();
        assertThat(c.getCount()).isEqualTo(1L);
        assertThat(registered).containsExactly("KinesisAnalytics/deadLetters", "KinesisAnalytics/findingsDeadLettered");
    }

    @Test
    void anUncataloguedNameIsRefused() {
        assertThatThrownBy(() -> ExportedMetrics.counter(new RecordingGroup("", new ArrayList<>()), "somethingNew"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MetricCatalog");
    }

    @Test
    void everyCounterNameIsCatalogued() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field f : Counters.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                names.add((String) f.get(null));
            }
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(9);
        assertThat(MetricCatalog.names()).containsAll(names);
        assertThat(MetricCatalog.names()).contains("alertsCritical", "alertsInformational");
        for (String n : MetricCatalog.names()) {
            assertThat(n).as("CloudWatch metric names of Managed Flink are alphanumeric").matches("[A-Za-z0-9]+");
        }
    }

    /** Nothing in the job registers a metric around the helper (it would not reach CloudWatch). */
    @Test
    void noMetricIsRegisteredOutsideTheHelper() throws IOException {
        Path main = Paths.get("src", "main", "java");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
                if (p.getFileName().toString().equals("ExportedMetrics.java")) {
                    continue;
                }
                String code = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
                if (code.matches("(?s).*\\.(counter|gauge|meter|histogram)\\(\\s*(\"|[a-zA-Z_.]+\\s*[,)]).*")
                        && !code.contains("ExportedMetrics.")) {
                    offenders.add(p.toString());
                }
                if (code.contains("getMetricGroup().counter(") || code.contains("metricGroup().counter(")
                        || code.matches("(?s).*metrics\\.counter\\(.*")) {
                    offenders.add(p.toString());
                }
            }
        }
        assertThat(offenders).isEmpty();
    }
}
