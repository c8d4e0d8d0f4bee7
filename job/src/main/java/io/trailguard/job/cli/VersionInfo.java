package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/**
 * {@code --version}: the build's version, git commit and Flink version (written into {@value #RESOURCE} by the
 * build; "unknown" when it was built outside a git checkout), the Flink runtime found at run time, and the bundled
 * packs: their files, enabled rules and content hash (the hash {@code publish} prints for the same files).
 */
final class VersionInfo implements IVersionProvider {
    static final String RESOURCE = "io/trailguard/job/version.properties";

    static Properties build() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource reads as unknown
        }
        return p;
    }

    @Override
    public String[] getVersion() {
        Properties p = build();
        String runtime;
        try {
            runtime = org.apache.flink.runtime.util.EnvironmentInformation.getVersion();
        } catch (LinkageError e) {
            runtime = "not on the class path";
        }
        List<RuleSource> packs = RuleLoader.bundledPacks();
        int rules = RuleLoader.load(packs, LoadOptions.defaults()).orThrow().size();
        RuleBundle bundle = RuleBundle.ofSources(RuleFiles.BUNDLED_VERSION, null, packs, "bundled");
        return new String[] {
            "trailguard " + p.getProperty("version", "unknown"),
            "git commit: " + p.getProperty("git.commit", "unknown"),
            "flink: " + p.getProperty("flink.version", "unknown") + " (runtime " + runtime + ")",
            "bundled packs: " + packs.size() + " files, " + rules + " rules, hash " + bundle.shortHash(),
            "java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
        };
    }
}
