package io.trailguard.job.s3;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The key layouts CloudTrail writes, and which files an account/region filter reads. */
class TrailKeyTest {
    @Test
    void standardTrailKey() {
        TrailKey k = TrailKey.parse("AWSLogs/111122223333/CloudTrail/us-east-1/2026/02/01/"
                + "111122223333_CloudTrail_us-east-1_20260201T1005Z_abcd.json.gz");
        assertThat(k.kind()).isEqualTo(TrailKey.Kind.LOG);
        assertThat(k.account()).isEqualTo("111122223333");
        assertThat(k.region()).isEqualTo("us-east-1");
        assertThat(k.date()).isEqualTo(LocalDate.of(2026, 2, 1));
        assertThat(k.organization()).isNull();
    }

    @Test
    void organizationTrailKeyWithAndWithoutPrefix() {
        for (String prefix : List.of("", "central/", "a/b/")) {
            TrailKey k = TrailKey.parse(prefix + "AWSLogs/o-aa111bb222/444455556666/CloudTrail/eu-west-1/2026/02/01/"
                    + "444455556666_CloudTrail_eu-west-1_20260201T1005Z_abcd.json.gz");
            assertThat(k.kind()).isEqualTo(TrailKey.Kind.LOG);
            assertThat(k.organization()).isEqualTo("o-aa111bb222");
            assertThat(k.account()).isEqualTo("444455556666");
            assertThat(k.region()).isEqualTo("eu-west-1");
        }
    }

    @Test
    void preControlTowerOrganizationTrailAndControlTowerPrefixHaveTheStandardLayout() {
        TrailKey old = TrailKey.parse("AWSLogs/444455556666/CloudTrail/ap-southeast-2/2019/03/04/"
                + "444455556666_CloudTrail_ap-southeast-2_20190304T0000Z_x.json.gz");
        assertThat(old.account()).isEqualTo("444455556666");
        assertThat(old.organization()).isNull();
        TrailKey ct = TrailKey.parse("o-aa111bb222/AWSLogs/444455556666/CloudTrail/us-west-2/2026/02/01/"
                + "444455556666_CloudTrail_us-west-2_20260201T0000Z_x.json.gz");
        assertThat(ct.kind()).isEqualTo(TrailKey.Kind.LOG);
        assertThat(ct.region()).isEqualTo("us-west-2");
    }

    @Test
    void digestInsightAndOtherObjects() {
        assertThat(TrailKey.parse("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/02/01/"
                + "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20260201T100500Z.json.gz").kind())
                .isEqualTo(TrailKey.Kind.DIGEST);
        TrailKey insight = TrailKey.parse("AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/02/01/"
                + "111122223333_CloudTrail-Insight_us-east-1_20260201T1005Z_x.json.gz");
        assertThat(insight.kind()).isEqualTo(TrailKey.Kind.INSIGHT);
        assertThat(insight.hasEvents()).isTrue();
        assertThat(TrailKey.parse("AWSLogs/111122223333/CloudTrail/us-east-1/2026/02/01/notes.txt").kind())
                .isEqualTo(TrailKey.Kind.OTHER);
        assertThat(TrailKey.parse("AWSLogs/111122223333/elasticloadbalancing/us-east-1/2026/02/01/x.log.gz").kind())
                .isEqualTo(TrailKey.Kind.OTHER);
        assertThat(TrailKey.parse("AWSLogs/111122223333/CloudTrail/us-east-1/2026/13/01/x.json.gz").kind())
                .isEqualTo(TrailKey.Kind.OTHER);
        assertThat(TrailKey.parse("random/file.json.gz").kind()).isEqualTo(TrailKey.Kind.OTHER);
    }

    @Test
    void filterByAccountAndRegion() {
        TrailFilter f = new TrailFilter(List.of("444455556666"), List.of("eu-west-1"));
        assertThat(f.decide(TrailKey.parse(TrailFiles.orgKey("o-aa111bb222", "444455556666", "eu-west-1",
                "2026-02-01", "a")))).isEqualTo(TrailFilter.Decision.READ);
        assertThat(f.decide(TrailKey.parse(TrailFiles.orgKey("o-aa111bb222", "111122223333", "eu-west-1",
                "2026-02-01", "a")))).isEqualTo(TrailFilter.Decision.OTHER_ACCOUNT);
        assertThat(f.decide(TrailKey.parse(TrailFiles.orgKey("o-aa111bb222", "444455556666", "us-east-1",
                "2026-02-01", "a")))).isEqualTo(TrailFilter.Decision.OTHER_REGION);
        assertThat(TrailFilter.all().decide(TrailKey.parse("x/y.json"))).isEqualTo(TrailFilter.Decision.NOT_CLOUDTRAIL);
    }
}
