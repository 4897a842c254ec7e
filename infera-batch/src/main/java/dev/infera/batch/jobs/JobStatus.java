package dev.infera.batch.jobs;

import dev.infera.batch.JobSummary;
import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one server job.
 *
 * @param id its id
 * @param model the model it scores with
 * @param state where it is
 * @param totalRows the input's rows as counted ahead; -1 until counted
 * @param rowsDone rows written, rejected or skipped (resume) so far
 * @param rowsOut rows written so far
 * @param rejected rows rejected so far
 * @param partitionsDone partitions committed in this run
 * @param partitionsTotal partitions planned; -1 until planned
 * @param submitted when it was submitted
 * @param started when it started running
 * @param finished when it finished
 * @param error why it failed or stopped
 * @param summary its summary, once succeeded
 */
public record JobStatus(
    String id,
    String model,
    JobState state,
    long totalRows,
    long rowsDone,
    long rowsOut,
    long rejected,
    long partitionsDone,
    long partitionsTotal,
    Instant submitted,
    Optional<Instant> started,
    Optional<Instant> finished,
    Optional<String> error,
    Optional<JobSummary> summary) {}
