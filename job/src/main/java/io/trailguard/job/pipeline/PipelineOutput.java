package io.trailguard.job.pipeline;

/**
 * A destination of the detection graph: attaches its sinks to the streams it wants (alerts, rule status, dead
 * letters). Built from spec strings by {@link io.trailguard.job.output.AlertOutputs} and
 * {@link io.trailguard.job.output.DeadLetterOutputs}; tests supply their own.
 */
public interface PipelineOutput {
    /** The spec this output was built from (for operator names and uids). */
    String spec();

    void attach(DetectionStreams streams);
}
