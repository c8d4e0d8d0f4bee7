package io.trailguard.job.pipeline;

/**
 * A destination of the detection graph: attaches its sinks to the streams it wants (alerts, rule status, dead
 * letters). Built from spec strings by {@code output.AlertOutputs} and {@code output.DeadLetterOutputs} (the
 * layer above); tests supply their own.
 */
public interface PipelineOutput {
    /** The spec this output was built from (for operator names and uids). */
    String spec();

    void attach(DetectionStreams streams);
}
