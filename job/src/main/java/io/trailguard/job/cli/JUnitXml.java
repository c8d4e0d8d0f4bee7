package io.trailguard.job.cli;

import io.trailguard.rules.fixtures.FixtureResult;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code test --junit-xml}: the results in the JUnit XML format CI systems read ({@code testsuites} / {@code testsuite}
 * per fixture file with {@code tests} and {@code failures} / {@code testcase} per case with {@code classname} = the
 * fixture file and {@code name} = {@code #index rule: description}, a {@code failure} element with the reason), plus
 * a {@code min-fixtures} suite with one failing case per rule that has too few fixtures.
 */
final class JUnitXml {
    private JUnitXml() {
    }

    static void write(Path file, List<FixtureResult> results, List<TestCommand.MinFixtures.Shortfall> shortfalls)
            throws IOException {
        Map<String, List<FixtureResult>> byFile = new LinkedHashMap<>();
        for (FixtureResult r : results) {
            byFile.computeIfAbsent(r.file(), k -> new java.util.ArrayList<>()).add(r);
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "trailguard test");
            x.writeAttribute("tests", Integer.toString(results.size() + shortfalls.size()));
            x.writeAttribute("failures", Long.toString(results.stream().filter(r -> !r.passed()).count()
                    + shortfalls.size()));
            for (Map.Entry<String, List<FixtureResult>> e : byFile.entrySet()) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", e.getKey());
                x.writeAttribute("tests", Integer.toString(e.getValue().size()));
                x.writeAttribute("failures", Long.toString(e.getValue().stream().filter(r -> !r.passed()).count()));
                x.writeAttribute("errors", "0");
                for (FixtureResult r : e.getValue()) {
                    x.writeCharacters("\n    ");
                    x.writeStartElement("testcase");
                    x.writeAttribute("classname", r.file());
                    x.writeAttribute("name", "#" + r.index() + " " + r.rule()
                            + (r.description().isEmpty() ? "" : ": " + r.description()));
                    if (!r.passed()) {
                        x.writeStartElement("failure");
                        x.writeAttribute("message", "expected " + r.expected() + " alert(s), got " + r.actual());
                        x.writeCharacters(r.message() + (r.outputs().isEmpty() ? "" : "\nalerts:\n"
                                + String.join("\n", r.outputs())));
                        x.writeEndElement();
                    }
                    x.writeEndElement();
                }
                x.writeCharacters("\n  ");
                x.writeEndElement();
            }
            if (!shortfalls.isEmpty()) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", "min-fixtures");
                x.writeAttribute("tests", Integer.toString(shortfalls.size()));
                x.writeAttribute("failures", Integer.toString(shortfalls.size()));
                x.writeAttribute("errors", "0");
                for (TestCommand.MinFixtures.Shortfall s : shortfalls) {
                    x.writeCharacters("\n    ");
                    x.writeStartElement("testcase");
                    x.writeAttribute("classname", "min-fixtures");
                    x.writeAttribute("name", s.rule);
                    x.writeStartElement("failure");
                    x.writeAttribute("message", s.message());
                    x.writeEndElement();
                    x.writeEndElement();
                }
                x.writeCharacters("\n  ");
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
