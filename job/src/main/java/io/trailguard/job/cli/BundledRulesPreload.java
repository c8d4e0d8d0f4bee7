package io.trailguard.job.cli;

import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.loader.RuleLoader;

import java.util.Map;
import java.util.Set;

/**
 * Loads the bundled rule packs on a thread of their own while the command line is set up and parsed, for a command
 * that is going to load exactly them (the demo, and {@code replay} without rule or matching options): picocli's
 * set-up and the rule load (SnakeYAML, compilation, and the Log4j start-up that Jayway JsonPath's loggers cause)
 * then run on two cores instead of one after the other.
 *
 * <p>What a command prints does not depend on this: the load goes through {@link CompiledBundle#load}, the JVM's
 * shared load keyed by the packs' content hash, the matching mode and the bundle version, exactly as
 * {@link RuleFiles#startupBundle} makes the bundle of the bundled packs. The command's own load of that bundle takes
 * this result or waits for it; any other selection loads its own. The guess at the selection is conservative (any
 * rule or matching option, or an environment default of one, and there is no preload), and a wrong guess only costs
 * CPU.
 *
 * <p>Logging: SLF4J hands a thread that asks for a logger while another thread initialises it a substitute, and
 * reports on stderr the messages logged during that time. The preload initialises Log4j (through JsonPath), so code
 * that may log before the command's rules are loaded calls {@link #await()} first.
 */
final class BundledRulesPreload {
    /** The command-line options and environment variables that make the selection other than the bundled packs. */
    private static final Set<String> SELECTING = Set.of("-r", "--rules", "--no-bundled-rules", "-D", "--disable-rule",
            "-T", "--disable-tag", "-m", "--matching");
    private static final Set<String> SELECTING_ENV = Set.of(EnvironmentDefaults.variable("--rules"),
            EnvironmentDefaults.variable("--disable-tag"), EnvironmentDefaults.variable("--matching"));

    private static volatile Thread running;

    private BundledRulesPreload() {
    }

    /** Starts the preload when {@code args} are a command that will load exactly the bundled packs. */
    static void startFor(String[] args, Map<String, String> env) {
        if (wanted(args, env)) {
            Thread t = new Thread(BundledRulesPreload::load, "bundled-rules-preload");
            t.setDaemon(true);
            running = t;
            t.start();
        }
    }

    /** True when the command line will load the bundled packs alone, with the default matching. */
    static boolean wanted(String[] args, Map<String, String> env) {
        if (args.length > 0 && !args[0].equals("replay") && !args[0].equals("demo")) {
            return false;
        }
        for (String a : args) {
            int eq = a.indexOf('=');
            String name = eq > 0 ? a.substring(0, eq) : a;
            // short options may carry their value ("-rFILE")
            if (SELECTING.contains(name) || (a.length() > 2 && SELECTING.contains(a.substring(0, 2)))) {
                return false;
            }
        }
        for (String v : SELECTING_ENV) {
            String value = env.get(v);
            if (value != null && !value.trim().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static void load() {
        try {
            CompiledBundle.load(RuleFiles.bundledOnly(RuleLoader.bundledPacks()), MatchingMode.ALL);
        } catch (RuntimeException | Error e) {
            // the command's own load meets the same problem and reports it
        }
    }

    /** Waits until a started preload has ended (returns at once when none was started). */
    static void await() {
        Thread t = running;
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
