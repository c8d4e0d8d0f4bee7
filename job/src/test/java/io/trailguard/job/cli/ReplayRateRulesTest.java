package io.trailguard.job.cli;

import io.trailguard.rules.engine.Alert;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate rules in replay: the invictus dataset (files out of order by up to ~10 minutes) fires the secrets burst rule
 * on the attack, and gives the same alerts whatever order the files are read in.
 */
class ReplayRateRulesTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static List<Path> invictusFiles() throws Exception {
        Path dir = null;
        for (String base : new String[] {"../shared", "../../shared"}) {
            Path p = Paths.get(base, "corpora", "invictus-ir-aws_dataset", "CloudTrail");
            if (Files.isDirectory(p)) {
                dir = p;
            }
        }
        Assumptions.assumeTrue(dir != null, "../shared is not present: skipping");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
    }

    static List<String> replay(List<Path> files) {
        List<String> args = new ArrayList<>();
        args.add("replay");
        args.add("--input");
        for (Path f : files) {
            args.add(f.toString());
        }
        CliTest.Result r = CliTest.run(args.toArray(new String[0]));
        assertThat(r.code).as(r.err).isZero();
        return r.alerts().stream().map(Alert::toJson).sorted().collect(Collectors.toList());
    }

    @Test
    void secretsBurstFiresAndFileOrderDoesNotMatter() throws Exception {
        List<Path> files = invictusFiles();
        List<String> inOrder = replay(files);
        List<Path> reversed = new ArrayList<>(files);
        Collections.reverse(reversed);
        List<String> backwards = replay(reversed);
        assertThat(backwards).isEqualTo(inOrder);
        List<Alert> alerts = inOrder.stream().map(Alert::fromJson).collect(Collectors.toList());
        assertThat(alerts).extracting(x -> x.rule().name()).contains("Secrets Retrieval Burst");
        Alert burst = alerts.stream().filter(a -> a.rule().name().equals("Secrets Retrieval Burst")).findFirst().get();
        assertThat(burst.rate().toMap()).containsKeys("count", "window_start", "event_ids");
    }
}
