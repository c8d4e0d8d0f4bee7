package io.trailguard.rules.condition;

import io.trailguard.rules.condition.ast.AndExpr;
import io.trailguard.rules.condition.ast.CheckExpr;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.MacroRef;
import io.trailguard.rules.condition.ast.NotExpr;
import io.trailguard.rules.condition.ast.OrExpr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Falco's condition grammar (reference/falco.md 3.3). */
class ConditionParserTest {

    private static Expr parse(String s) {
        return ConditionParser.parse(s, name -> name.equals("regions") ? List.of("us-east-1", "eu west") : null);
    }

    @Test
    void andBindsTighterThanOrAndNotTighterThanAnd() {
        Expr e = parse("a.b = 1 or not c.d = 2 and e.f = 3");
        assertThat(e).isInstanceOf(OrExpr.class);
        OrExpr or = (OrExpr) e;
        assertThat(or.children()).hasSize(2);
        assertThat(or.children().get(1)).isInstanceOf(AndExpr.class);
        assertThat(((AndExpr) or.children().get(1)).children().get(0)).isInstanceOf(NotExpr.class);
    }

    @Test
    void andAndOrAreNary() {
        assertThat(((AndExpr) parse("a.b=1 and c.d=2 and e.f=3")).children()).hasSize(3);
    }

    @Test
    void bareIdentifiersAreMacroReferences() {
        Expr e = parse("succeeded and ct.name = X");
        assertThat(((AndExpr) e).children().get(0)).isInstanceOf(MacroRef.class);
        assertThat(((MacroRef) ((AndExpr) e).children().get(0)).name()).isEqualTo("succeeded");
    }

    @Test
    void notParenAndRepeatedNot() {
        assertThat(parse("not(a.b = 1)")).isInstanceOf(NotExpr.class);
        assertThat(parse("not not a.b = 1")).isInstanceOf(CheckExpr.class);
        assertThat(parse("not\tnot\nnot a.b = 1")).isInstanceOf(NotExpr.class);
    }

    @Test
    void listNamesExpandInsideListValues() {
        CheckExpr c = (CheckExpr) parse("ct.region in (regions, ap-south-1)");
        assertThat(c.values()).containsExactly("us-east-1", "eu west", "ap-south-1");
        CheckExpr bare = (CheckExpr) parse("ct.region in regions");
        assertThat(bare.values()).containsExactly("us-east-1", "eu west");
        CheckExpr quoted = (CheckExpr) parse("ct.region in (\"regions\")");
        assertThat(quoted.values()).containsExactly("regions");
        CheckExpr unknown = (CheckExpr) parse("ct.region in (other_list)");
        assertThat(unknown.values()).containsExactly("other_list");
    }

    @Test
    void quotedStringEscapes() {
        String[][] cases = {
            {"'a\\nb'", "a\nb"},
            {"\"a\\\"b\"", "a\"b"},
            {"'it\\'s'", "it's"},
            {"\"tab\\there\"", "tab\there"},
            {"\"\\x41\\x42\"", "AB"},
            {"\"a\\\\b\"", "a\\b"},
            {"\"a\\/b\"", "a/b"},
            {"\"single ' inside\"", "single ' inside"},
        };
        for (String[] c : cases) {
            assertThat(((CheckExpr) parse("a.b = " + c[0])).value()).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void fieldArguments() {
        assertThat(((CheckExpr) parse("json.value[/a/b] = 1")).field().text()).isEqualTo("json.value[/a/b]");
        assertThat(((CheckExpr) parse("json.value[\"/a b\"] = 1")).field().arg()).isEqualTo("/a b");
        assertThat(((CheckExpr) parse("json.path[$.a[*].b[?(@.c == 'd')]] exists")).field().arg())
                .isEqualTo("$.a[*].b[?(@.c == 'd')]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty condition",
        "ct.name|missing operator after field 'ct.name'",
        "ct.name =|operator '=' needs a value",
        "ct.name = x and|unexpected token after",
        "ct.name = x and (|unexpected end of condition",
        "ct.name = x y|unexpected token after 'ct.name = x', expecting 'or', 'and'",
        "(ct.name = x|expecting ')' but found end of condition",
        "ct.name = \"x|unterminated quoted string",
        "ct.name = \"\\q\"|unsupported string escape sequence: \\q",
        "ct.name foo x|unknown operator after field 'ct.name'",
        "ct.name in x y|unexpected token",
        "ct.name > abc|operator '>' needs a number",
        "json.value[] = 1|empty field argument",
        "join(\"-\", (ct.name,)) = x|expected transformer list argument",
        "ct.name andx|unknown operator",
    })
    void syntaxErrors(String condition, String message) {
        assertThatThrownBy(() -> parse(condition)).isInstanceOf(ConditionSyntaxException.class)
                .hasMessageContaining(message);
    }

    @Test
    void keywordsNeedABlankOrParenAfterThem() {
        // 'ct.name = a andct.region = b' is not a conjunction
        assertThatThrownBy(() -> parse("ct.name = a andct.region = b")).isInstanceOf(ConditionSyntaxException.class);
        assertThat(parse("ct.name = a and(ct.region = b)")).isInstanceOf(AndExpr.class);
    }

    @Test
    void errorOffsetPointsAtTheProblem() {
        try {
            parse("ct.name = x and ct.region ~ y");
        } catch (ConditionSyntaxException e) {
            assertThat(e.offset()).isEqualTo(26);
            return;
        }
        throw new AssertionError("no error");
    }

    @Test
    void nestingIsBounded() {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            deep.append('(');
        }
        deep.append("a.b = 1");
        for (int i = 0; i < 5000; i++) {
            deep.append(')');
        }
        assertThatThrownBy(() -> parse(deep.toString())).hasMessageContaining("nests deeper than 1000");
    }

    @Test
    void hugeConditionsAreRejectedBeforeParsing() {
        StringBuilder big = new StringBuilder("a.b = 1");
        while (big.length() < 10_000_000) {
            big.append(" or a.b = 1234567890");
        }
        assertThatThrownBy(() -> parse(big.toString())).hasMessageContaining("the limit is");
    }
}
