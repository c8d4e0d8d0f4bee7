package io.trailguard.rules.sigma;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.InputFiles;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.testing.Shared;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The 57 SigmaHQ CloudTrail rules (../shared/anchors/sigma/rules) load unmodified and evaluate in replay. */
class SigmaHqRulesTest {
    static LoadResult loadAll(LoadOptions options) throws Exception {
        Path dir = Shared.require("anchors/sigma/rules");
        return RuleLoader.load(RuleLoader.sources(List.of(dir)), options);
    }

    @Test
    void all57LoadWithOnlyTheErrataWarnings() throws Exception {
        LoadResult r = loadAll(LoadOptions.defaults());
        assertThat(r.errors()).isEmpty();
        assertThat(r.ruleSet().rules()).hasSize(57);
        List<String> warnings = r.warnings().stream().map(Diagnostic::toString).collect(Collectors.toList());
        assertThat(warnings).hasSize(3);
        assertThat(warnings).anySatisfy(w -> assertThat(w)
                .startsWith(Shared.require("anchors/sigma/rules").resolve("aws_iam_backdoor_users_keys.yml") + ":1:1: "
                        + "warning: Sigma rule 0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2 (AWS IAM Backdoor Users Keys): "
                        + "erratum 3b4473a0-4391-4221-a91b-55e8af86bffc applied: "));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("Sigma rule 055fb148-60f8-462d-ad16-26926ce050f1 "
                + "(AWS User Login Profile Was Modified): erratum f0189c27-71ac-415f-a487-b9078731de14 applied"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("Sigma rule ccd6a6c8-bb4e-4a91-9d2a-07e632819374 "
                + "(AWS SAML Provider Deletion Activity): erratum f5806765-d461-4af3-a2a6-a9e3a8fbd6d0 applied"));
    }

    @Test
    void withoutErrataTheyLoadWithNoWarningAtAll() throws Exception {
        LoadResult r = loadAll(LoadOptions.defaults().sigmaErrata(false));
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.ruleSet().rules()).hasSize(57);
    }

    @Test
    void rulesCarryTitleLevelTagsAndTheSigmaId() throws Exception {
        RuleSet rs = loadAll(LoadOptions.defaults()).orThrow();
        Map<Priority, Long> byPriority = rs.rules().stream()
                .collect(Collectors.groupingBy(Rule::priority, TreeMap::new, Collectors.counting()));
        // SigmaHQ: medium 28, high 16, low 13
        assertThat(byPriority).containsEntry(Priority.WARNING, 28L).containsEntry(Priority.ERROR, 16L)
                .containsEntry(Priority.NOTICE, 13L).hasSize(3);
        Rule backdoor = rs.rule("AWS IAM Backdoor Users Keys");
        assertThat(backdoor.tags()).containsExactly("attack.persistence", "attack.privilege-escalation", "attack.t1098");
        assertThat(backdoor.source()).isEqualTo("aws_cloudtrail");
        assertThat(backdoor.eventNames()).containsExactly("CreateAccessKey");
        assertThat(rs.rules()).allSatisfy(rule -> assertThat(rule.output().fields()).extracting(f -> f.name())
                .contains("sigma.id", "eventName", "userIdentity.arn", "sourceIPAddress", "awsRegion"));
        // 52 of the 57 rules require one of a set of eventNames and are indexed by it (5 use startswith, re...)
        assertThat(rs.rules().stream().filter(x -> x.eventNames() != null).count()).isEqualTo(52);
    }

    @Test
    void anAlertHasTheSameJsonShapeAsEveryOtherRule() throws Exception {
        RuleSet rs = loadAll(LoadOptions.defaults()).orThrow();
        CloudTrailEvent e = SigmaTesting.q("{'eventVersion':'1.08','eventTime':'2024-05-01T10:00:00Z',"
                + "'eventSource':'iam.amazonaws.com','eventName':'CreateAccessKey','awsRegion':'us-east-1',"
                + "'sourceIPAddress':'198.51.100.7','eventID':'ev-1','recipientAccountId':'111122223333',"
                + "'userIdentity':{'type':'IAMUser','arn':'arn:aws:iam::111122223333:user/alice','userName':'alice'},"
                + "'requestParameters':{'userName':'bob'},'responseElements':{'accessKey':{'userName':'bob'}}}");
        List<Alert> alerts = rs.evaluate(e, rs.newContext());
        assertThat(alerts).extracting(x -> x.rule().name()).containsExactly("AWS IAM Backdoor Users Keys");
        Alert a = alerts.get(0);
        assertThat(a.rule().priority().display()).isEqualTo("Warning");
        assertThat(a.output()).isEqualTo("AWS IAM Backdoor Users Keys: CreateAccessKey by "
                + "arn:aws:iam::111122223333:user/alice from 198.51.100.7 in us-east-1");
        assertThat(a.outputFields()).containsEntry("sigma.id", "0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2")
                .containsEntry("sigma.level", "medium").containsEntry("sigma.status", "test")
                .containsEntry("sigma.errata", List.of("3b4473a0-4391-4221-a91b-55e8af86bffc"))
                .containsEntry("eventName", "CreateAccessKey");
        Alert back = Alert.fromJson(a.toJson());
        assertThat(back.rule().name()).isEqualTo(a.rule().name());
        assertThat(back.outputFields()).isEqualTo(a.outputFields());
        assertThat(a.event().id()).isEqualTo("ev-1");
        assertThat(a.event().account()).isEqualTo("111122223333");
    }

    /** Every event of the shared corpora through the 57 rules, as replay does; the detonations raise their rules. */
    @Test
    void evaluateInReplayOverTheSharedCorpora() throws Exception {
        RuleSet rs = loadAll(LoadOptions.defaults()).orThrow();
        Path corpora = Shared.require("corpora");
        Map<String, List<String>> firedByFile = new TreeMap<>();
        long[] events = new long[1];
        InputFiles input = new InputFiles(new EventUnwrapper());
        var ctx = rs.newContext();
        for (Path file : InputFiles.list(List.of(corpora), w -> { })) {
            List<String> fired = new ArrayList<>();
            input.read(file, new EventSink() {
                @Override
                public void event(CloudTrailEvent e) {
                    events[0]++;
                    for (Alert a : rs.evaluate(e, ctx)) {
                        fired.add(a.rule().name());
                        assertThat(a.toJson()).contains("\"sigma.id\"");
                    }
                }

                @Override
                public void deadLetter(DeadLetter d) {
                }
            });
            firedByFile.put(corpora.relativize(file).toString(), fired);
        }
        assertThat(events[0]).isGreaterThan(3000);
        String stratus = "stratus-red-team/detonation-logs/";
        assertThat(firedByFile.get(stratus + "aws.defense-evasion.cloudtrail-stop.json"))
                .contains("AWS CloudTrail Important Change");
        assertThat(firedByFile.get(stratus + "aws.defense-evasion.cloudtrail-delete.json"))
                .contains("AWS CloudTrail Important Change");
        assertThat(firedByFile.get(stratus + "aws.defense-evasion.vpc-remove-flow-logs.json"))
                .contains("AWS VPC Flow Logs Deleted");
        assertThat(firedByFile.get(stratus + "aws.exfiltration.ec2-share-ebs-snapshot.json"))
                .contains("AWS Snapshot Backup Exfiltration");
        assertThat(firedByFile.get(stratus + "aws.persistence.iam-backdoor-user.json"))
                .contains("AWS IAM Backdoor Users Keys");
        assertThat(firedByFile.get(stratus + "aws.execution.ssm-send-command.json"))
                .contains("Potential Malicious Usage of CloudTrail System Manager");
        long total = firedByFile.values().stream().mapToLong(List::size).sum();
        assertThat(total).isGreaterThan(0);
    }
}
