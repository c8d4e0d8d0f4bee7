package io.trailguard.rules.sigma;

import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.loader.LoadResult;
import org.junit.jupiter.api.Test;

import static io.trailguard.rules.sigma.SigmaTesting.load;
import static io.trailguard.rules.sigma.SigmaTesting.matches;
import static io.trailguard.rules.sigma.SigmaTesting.q;
import static io.trailguard.rules.sigma.SigmaTesting.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** Detection structure and the condition grammar: and/or/not, parentheses, x of, them, condition lists. */
class ConditionGrammarTest {
    static final String SELECTIONS = "sel_a:\n  eventName: A\n"
            + "sel_b:\n  eventSource: b.amazonaws.com\n"
            + "filter_x:\n  awsRegion: x\n"
            + "_private:\n  eventName: A\n";

    static final CloudTrailEvent A_B = q("{'eventName':'A','eventSource':'b.amazonaws.com','awsRegion':'y'}");
    static final CloudTrailEvent A_X = q("{'eventName':'A','eventSource':'c.amazonaws.com','awsRegion':'x'}");
    static final CloudTrailEvent Q = q("{'eventName':'Q','eventSource':'c.amazonaws.com','awsRegion':'y'}");

    static boolean cond(String condition, CloudTrailEvent e) {
        return matches(SELECTIONS + "condition: " + condition + "\n", e);
    }

    static String error(String condition) {
        LoadResult r = load(rule(SELECTIONS + "condition: " + condition + "\n"));
        assertThat(r.ok()).isFalse();
        return r.errors().get(0).toString();
    }

    @Test
    void andOrNotAndPrecedence() {
        assertThat(cond("sel_a and sel_b", A_B)).isTrue();
        assertThat(cond("sel_a and sel_b", A_X)).isFalse();
        assertThat(cond("sel_a or sel_b", A_X)).isTrue();
        assertThat(cond("not sel_a", Q)).isTrue();
        // not binds tighter than and, and tighter than or
        assertThat(cond("not sel_a and sel_b", A_B)).isFalse();
        assertThat(cond("sel_b or sel_a and filter_x", A_X)).isTrue();
        assertThat(cond("(sel_b or sel_a) and filter_x", A_B)).isFalse();
        assertThat(cond("sel_a and not (sel_b or filter_x)", A_B)).isFalse();
        assertThat(cond("sel_a and not (sel_b or filter_x)", q("{'eventName':'A','awsRegion':'z'}"))).isTrue();
        assertThat(cond("not not sel_a", A_B)).isTrue();
    }

    @Test
    void oneOfAllOfAndThem() {
        assertThat(cond("1 of sel_*", A_X)).isTrue();
        assertThat(cond("any of sel_*", A_X)).isTrue();
        assertThat(cond("all of sel_*", A_X)).isFalse();
        assertThat(cond("all of sel_*", A_B)).isTrue();
        assertThat(cond("sel_a and not 1 of filter*", A_X)).isFalse();
        assertThat(cond("sel_a and not 1 of filter*", A_B)).isTrue();
        assertThat(cond("1 of them", Q)).isFalse();
        assertThat(cond("all of them", A_B)).isFalse(); // filter_x does not hold
        assertThat(cond("1 of *_a", A_X)).isTrue();
    }

    @Test
    void themAndPatternsSkipUnderscoreIdentifiersUnlessThePatternStartsWithOne() {
        String d = "sel:\n  eventName: Z\n_hidden:\n  eventName: A\n";
        assertThat(matches(d + "condition: 1 of them\n", A_B)).isFalse();
        assertThat(matches(d + "condition: 1 of *\n", A_B)).isFalse();
        assertThat(matches(d + "condition: 1 of _*\n", A_B)).isTrue();
        assertThat(matches(d + "condition: _hidden\n", A_B)).isTrue();
    }

    @Test
    void aConditionListIsAnOr() {
        assertThat(matches(SELECTIONS + "condition:\n  - sel_b\n  - filter_x\n", A_X)).isTrue();
        assertThat(matches(SELECTIONS + "condition:\n  - sel_b\n  - filter_x\n", Q)).isFalse();
    }

    @Test
    void listsOfMapsAreOrsAndMapsAreAnds() {
        String d = "selection:\n  - eventName: A\n    awsRegion: y\n  - eventSource: c.amazonaws.com\ncondition: selection\n";
        assertThat(matches(d, A_B)).isTrue();
        assertThat(matches(d, A_X)).isTrue(); // second map
        assertThat(matches(d, q("{'eventName':'A','awsRegion':'x','eventSource':'d'}"))).isFalse();
    }

    @Test
    void keywordListsSearchEveryValueOfTheRecord() {
        String d = "keywords:\n  - 'evil-bucket'\n  - 'pacu'\ncondition: keywords\n";
        assertThat(matches(d, q("{'requestParameters':{'bucketName':'my-EVIL-bucket-1'}}"))).isTrue();
        assertThat(matches(d, q("{'userAgent':'Pacu/1.0'}"))).isTrue();
        assertThat(matches(d, q("{'userAgent':'boto3'}"))).isFalse();
        assertThat(matches(d, q("{'evil-bucket':'key names are not searched'}"))).isFalse();
        String all = "keywords:\n  '|all':\n    - 'alpha'\n    - 'beta'\ncondition: keywords\n";
        assertThat(matches(all, q("{'a':'alpha','b':['x','beta']}"))).isTrue();
        assertThat(matches(all, q("{'a':'alpha'}"))).isFalse();
        String num = "keywords:\n  - 443\ncondition: keywords\n";
        assertThat(matches(num, q("{'requestParameters':{'toPort':443}}"))).isTrue();
        String single = "keywords: 'AccessDenied'\ncondition: keywords\n";
        assertThat(matches(single, q("{'errorCode':'AccessDenied'}"))).isTrue();
    }

    @Test
    void errorsPointIntoTheCondition() {
        // condition is on line 14 of the test file, after 'condition: ' (column 14)
        assertThat(error("sel_a and nope")).startsWith("test.yml:15:24: ")
                .contains("search identifier 'nope' is not defined");
        assertThat(error("sel_a and (sel_b")).contains("missing ')'");
        assertThat(error("sel_a sel_b")).contains("unexpected 'sel_b'");
        assertThat(error("sel_a AND sel_b")).contains("condition operators are lower case");
        assertThat(error("1 of nothing_*")).contains("'1 of nothing_*' matches no search identifier");
        assertThat(error("all of nothing_*")).contains("'all of nothing_*' matches no search identifier");
        assertThat(error("sel_*")).contains("needs '1 of' or 'all of'");
        assertThat(error("sel_a | count() > 5")).contains("obsolete").contains("correlation");
        assertThat(error("sel_a and")).contains("condition ends where a search identifier was expected");
        assertThat(error("sel_a or )")).contains("unexpected ')'");
        assertThat(error("sel_a & sel_b")).contains("unexpected character '&'");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            c.append('(');
        }
        c.append("sel_a");
        for (int i = 0; i < 5000; i++) {
            c.append(')');
        }
        assertThat(error(c.toString())).contains("nests too deeply");
    }

    @Test
    void structuralErrors() {
        assertThat(load(rule("selection:\n  eventName:\n    nested: x\ncondition: selection\n")).errors().get(0).message())
                .contains("nested fields are written with dots");
        assertThat(load(rule("selection: null\ncondition: selection\n")).errors().get(0).message())
                .contains("null value must be bound to a field");
        assertThat(load(rule("selection:\n  eventName: A\n")).errors().get(0).message()).contains("no 'condition'");
        assertThat(load(rule("selection:\n  eventName: A\ntimeframe: 5m\ncondition: selection\n")).errors().get(0)
                .message()).contains("'timeframe' is obsolete");
    }
}
