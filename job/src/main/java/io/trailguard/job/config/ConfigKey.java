package io.trailguard.job.config;

/**
 * Every configuration key, with its default and description: the one defaults table. Code that needs a default
 * (the graph's settings, the sinks' builders) reads it from here; {@code job/CONFIGURATION.md} shows the same table,
 * and {@code TrailguardConfigTest} fails when a row's default, flag or key drifts from it.
 */
public enum ConfigKey {
    EVENTS_STREAM("events.stream", "", "--events-stream",
            "Kinesis stream of CloudTrail events (EventBridge envelopes, raw records or whole log files): name or ARN. "
                    + "Required by `run`."),
    EVENTS_QUEUE("events.queue", "", "--events-queue",
            "SQS queue (name or URL) receiving new-object notifications of CloudTrail log files (S3 event "
                    + "notifications, the same through SNS, CloudTrail's SNS notifications, EventBridge Object Created "
                    + "events): the files are read from S3 record by record. `run` needs this or `events.stream` "
                    + "(or both: the eventID dedup drops the overlap). See docs/ingestion.md."),
    EVENTS_ACCOUNTS("events.accounts", "", null,
            "S3 source: comma-separated account ids whose files are evaluated (taken from the object key; others "
                    + "are skipped without fetching). Default: all."),
    EVENTS_REGIONS("events.regions", "", null,
            "S3 source: comma-separated regions whose files are evaluated (from the object key). Default: all."),
    EVENTS_QUEUE_VISIBILITY("events.queue.visibility_timeout", "2m", null,
            "S3 source: visibility timeout the queue's messages are received with and extended to (every third of "
                    + "it) while their files are read and until the checkpoint covering them completes."),
    S3_ENDPOINT("s3.endpoint", "", null,
            "S3 endpoint override (path-style), e.g. `http://localhost:9090` for a local S3 server."),
    SQS_ENDPOINT("sqs.endpoint", "", null,
            "SQS endpoint override, e.g. `http://localhost:9324` for a local SQS server."),
    CONTROL_STREAM("control.stream", "", "--control-stream",
            "Kinesis stream of rule bundles (written by `publish`): name or ARN. Without it the start-up rules never "
                    + "change. Give it one shard (`publish` writes every record with one partition key)."),
    AWS_REGION("aws.region", "", "--region",
            "AWS region of the streams. Default: the region in a stream ARN, else `AWS_REGION` / "
                    + "`AWS_DEFAULT_REGION`, else the `aws.profile` profile's region, else `us-east-1` when an "
                    + "endpoint override is set."),
    AWS_ENDPOINT("aws.endpoint", "", "--endpoint-url",
            "Kinesis endpoint override, e.g. `http://localhost:4568` for kinesis-local. With an override, no "
                    + "`aws.profile` and no credentials in the environment, system properties or default profile, "
                    + "fixed dummy credentials are used (emulators accept any)."),
    AWS_PROFILE("aws.profile", "", "--profile",
            "Local runs: named profile of the shared AWS config and credentials files (`~/.aws/config`, "
                    + "`~/.aws/credentials`) for every AWS client (Kinesis, the Kinesis consumer, S3, SQS, KMS, "
                    + "Security Hub, CloudWatch Logs), as the AWS CLI's `--profile`: the default credentials chain "
                    + "with that profile (also with an endpoint override, instead of dummy keys). A name in neither "
                    + "file is a usage error. Default: `AWS_PROFILE`, else `default`. Managed Flink uses the "
                    + "application's role."),
    EVENTS_INITIAL_POSITION("events.initial_position", "LATEST", null,
            "Where the events source starts on shards it has no checkpointed position for: `LATEST`, "
                    + "`TRIM_HORIZON` or `AT_TIMESTAMP`."),
    EVENTS_INITIAL_TIMESTAMP("events.initial_timestamp", "", null,
            "ISO-8601 instant (`2026-01-01T12:00:00Z`) for `AT_TIMESTAMP`."),
    CONTROL_INITIAL_POSITION("control.initial_position", "TRIM_HORIZON", null,
            "Where the control source starts without checkpointed positions. `TRIM_HORIZON` replays the stream so "
                    + "the last accepted bundle also lands in checkpointed state; bundles older than the start-up "
                    + "bundle are skipped while that state is empty."),
    CONTROL_BOOTSTRAP_TIMEOUT("control.bootstrap_timeout", "30s", null,
            "Longest time `run` spends reading the control stream before the job starts, to pick the newest valid "
                    + "bundle as the start-up rules. On timeout or error it logs a WARN and starts with the default rules."),
    BUNDLES_REQUIRE_SIGNATURE("bundles.require_signature", "false", null,
            "`true`: bundles from the control stream must carry a signature that verifies with `bundles.verify_key` "
                    + "(see `publish --sign-key`); unsigned, wrongly signed or tampered bundles are rejected with a "
                    + "`rejected` rule status and the previous rules keep running. Also applies to the start-up scan."),
    BUNDLES_VERIFY_KEY("bundles.verify_key", "", null,
            "Key that verifies bundle signatures: `hmac:env:VAR` or `hmac:file:PATH` (shared HMAC-SHA256 secret, "
                    + "at least 32 bytes; never the key itself), or `kms-public:file:PATH` / `kms-public:b64:DER` (the "
                    + "KMS key's public key from `aws kms get-public-key`, PEM or DER; RSA or ECC). When set, a "
                    + "signature that is present must verify even if signatures are not required."),
    BUNDLES_CHUNK_TIMEOUT("bundles.chunk_timeout", "5m", null,
            "A chunked rule bundle still incomplete this long (processing time) after its first chunk is discarded "
                    + "with an `incomplete` rule status naming the chunks received (also when a newer bundle arrives "
                    + "complete first); the active rules stay."),
    OUT_OF_ORDERNESS("event_time.out_of_orderness", "15m", null,
            "How far behind the newest event of its own shard an event may be and still be on time (event time is "
                    + "`eventTime`, per Kinesis shard). Durations: `500ms`, `90s`, `15m`, `1h`, `PT15M`."),
    IDLENESS("event_time.idleness", "1m", null,
            "A shard without events this long stops holding back event time; when every shard is quiet, event time "
                    + "follows the wall clock from the newest event, so a window ending at W closes at wall-clock "
                    + "W + out_of_orderness + idleness. Also the start-up hold before the first watermark."),
    DEDUP_HORIZON("dedup.horizon", "1h", null,
            "A repeated CloudTrail eventID within this long (processing time) is dropped before its alerts are "
                    + "emitted or its rate signals counted; the `duplicatesDropped` metric counts them (repeats of "
                    + "events that produced neither are not tracked: there is nothing to drop)."),
    FINDINGS_TIMES_TTL("findings.times_ttl", "7d", null,
            "How long a finding id's CreatedAt/UpdatedAt are kept (keyed state, processing time, refreshed by each "
                    + "version): within it a finding that fires again (a rate window, an incident) keeps its first "
                    + "CreatedAt and gets a later UpdatedAt (OCSF `Update`), also after a restart from a checkpoint "
                    + "or savepoint; after it the finding starts over as new. See docs/reliability.md."),
    RATE_ALLOWED_LATENESS("rate.allowed_lateness", "15m", null,
            "Rate rules: how far behind the watermark an event may be and still count into its windows; later "
                    + "events are dead-lettered as late (never silently dropped)."),
    BUFFER_TIMEOUT("pipeline.buffer_timeout", "10ms", null,
            "Longest time a record waits in a partly filled network buffer between the job's operators before it is "
                    + "sent (Flink's buffer timeout): the floor of event-to-alert latency at low rates. `0ms` sends "
                    + "every record at once (lowest latency, least throughput); Flink's own default is `100ms`. "
                    + "See docs/performance.md for latency against throughput."),
    MATCHING("rules.matching", "all", "--matching",
            "`all`: every matching rule alerts; `first`: only the first matching rule, in load order."),
    RULES_PATH("rules.path", "", "--rules",
            "Comma-separated rule files or directories (`.yaml`/`.yml`, read recursively) loaded after the bundled "
                    + "packs (so they can append to, override and add exceptions to bundled rules, lists and macros) "
                    + "as the start-up rules."),
    RULES_BUNDLED("rules.bundled", "true", "--no-bundled-rules",
            "`false`: the start-up rules are only those of `rules.path`, without the bundled packs."),
    RULES_DISABLE("rules.disable", "", "--disable-rule",
            "Comma-separated rule names to turn off in the start-up rules; `*` matches any characters (Falco's "
                    + "`rules: - disable: rule:`), otherwise the name must match exactly."),
    RULES_DISABLE_TAGS("rules.disable_tags", "", "--disable-tag",
            "Comma-separated tags: every start-up rule carrying one of them (exact, case-sensitive) is turned off."),
    OUTPUTS("outputs", "stdout", "--output",
            "Comma-separated alert outputs: `stdout` (alert lines only; rule status lines go to stderr), "
                    + "`file:PATH` (alert and `rule_status` JSON lines appended to PATH), `ocsf:PATH` (OCSF Detection Finding "
                    + "JSON lines appended to PATH), `ocsf:s3://BUCKET/PREFIX` (the same findings as Parquet objects of an "
                    + "Amazon Security Lake custom source, published at each completed checkpoint; see `job/OUTPUTS.md`), "
                    + "`securityhub` (ASFF findings "
                    + "via BatchImportFindings) and `cloudwatch:LOG_GROUP` (alert and `rule_status` JSON lines)."),
    SECURITYHUB_PRODUCT_ARN("securityhub.product_arn", "", null,
            "Product ARN findings are imported under. Default: the account's own product "
                    + "`arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default` of the alert's account."),
    SECURITYHUB_ACCOUNT_ID("securityhub.account_id", "", null,
            "Import every finding into this account (the detection account) instead of the account of the event; "
                    + "the event's account stays in ProductFields and resource ARNs. Needed with the default product "
                    + "ARN when events come from several accounts."),
    SECURITYHUB_FLUSH("securityhub.flush", "1s", null,
            "Longest time an alert waits in the Security Hub batch (at most 100 findings / 240 KB per call)."),
    CLOUDWATCH_LOG_STREAM_PREFIX("cloudwatch.log_stream_prefix", "trailguard", null,
            "Prefix of the CloudWatch Logs streams; each writer uses `PREFIX/JOB_ID/SUBTASK`, created if missing."),
    CLOUDWATCH_CREATE_LOG_GROUP("cloudwatch.create_log_group", "true", null,
            "Create the log group when it does not exist (needs `logs:CreateLogGroup`)."),
    CLOUDWATCH_FLUSH("cloudwatch.flush", "1s", null,
            "Longest time a line waits in the PutLogEvents batch."),
    SECURITYHUB_ON_UNAVAILABLE("securityhub.on_unavailable", "hold", null,
            "What the Security Hub output does while Security Hub refuses the account (not enabled in the region, "
                    + "product subscription or `securityhub:BatchImportFindings` permission missing: "
                    + "`InvalidAccessException`, `AccessDeniedException`, `FailedFindings` with `InvalidAccess`): "
                    + "`hold` keeps the findings and retries them with backoff (the job back-pressures, one ERROR per "
                    + "`sink.retry.report_interval`), `dead_letter` sends them to `sink.dead_letter`. Never a job failure."),
    LAKE_STAGING("lake.staging", "", null,
            "Security Lake output (`ocsf:s3://BUCKET/PREFIX`): `s3://BUCKET/PREFIX` where Parquet files wait until "
                    + "their checkpoint completes; must be outside the output location (Athena and the source's Glue "
                    + "crawler read everything under it). Default: `s3://BUCKET/_trailguard_staging/PREFIX`."),
    LAKE_COMPRESSION("lake.compression", "ZSTD", null,
            "Security Lake output: Parquet page compression, `ZSTD` (level 3), `SNAPPY` or `GZIP`."),
    LAKE_ROW_GROUP_SIZE("lake.row_group_size", "128mb", null,
            "Security Lake output: Parquet row-group size (`64mb`, `512kb`; binary units); a new row group starts "
                    + "once the buffered one reaches it."),
    LAKE_TARGET_OBJECT_SIZE("lake.target_object_size", "256mb", null,
            "Security Lake output: largest object size aimed at; a partition's file that reaches it is closed and the "
                    + "next findings go to a new one (`-pN` in its name). Every checkpoint closes every file, so objects "
                    + "are also as small as one checkpoint interval's findings of a partition and subtask."),
    SINK_RETRY_MAX_BACKOFF("sink.retry.max_backoff", "30s", null,
            "Longest wait between two attempts of the AWS outputs (exponential backoff with jitter from 200 ms)."),
    SINK_RETRY_LIMIT("sink.retry.limit", "unlimited", null,
            "When the AWS outputs stop retrying an entry that keeps failing with a retryable error (throttling, "
                    + "5xx, network, timeouts) or an unavailable service: `unlimited` (an outage of any length loses "
                    + "nothing; the job back-pressures), a number of attempts (`50`) or a duration (`6h`). An entry "
                    + "past the limit is dead-lettered with its last error."),
    SINK_RETRY_REPORT_INTERVAL("sink.retry.report_interval", "1m", null,
            "While an AWS output keeps failing: one WARN (retryable errors) or ERROR (service unavailable) per "
                    + "interval and output instance, with the service, the endpoint, the error, the pending entries "
                    + "and for how long."),
    SINK_DEAD_LETTER("sink.dead_letter", "auto", null,
            "Where the AWS outputs put entries the service refuses as invalid (and those past `sink.retry.limit`), "
                    + "as `{\"type\":\"sink_dead_letter\",...}` JSON lines with the reason and the whole alert: "
                    + "`cloudwatch:LOG_GROUP[:STREAM_PREFIX]` (streams `PREFIX/OUTPUT/SUBTASK`, default prefix "
                    + "`dead-letters`; durable, works on Managed Flink), `file:PATH` (local runs; `{subtask}` in PATH "
                    + "is the subtask index), `log` (ERROR lines only). `auto`: `file:` with `sink.dead_letter_path`, "
                    + "else the group of a `cloudwatch:LOG_GROUP` output with prefix `dead-letters`, else `log`. "
                    + "Every dead letter is also logged at ERROR."),
    SINK_DEAD_LETTER_PATH("sink.dead_letter_path", "", null,
            "Older spelling of `sink.dead_letter=file:PATH`, used when `sink.dead_letter` is `auto`."),
    DEAD_LETTER_OUTPUT("dead_letter.output", "log", null,
            "Where dead letters go: `log` (WARN line with origin and reason, no payload), `stderr` or `file:PATH` "
                    + "(`{\"type\":\"dead_letter\",\"origin\",\"reason\",\"excerpt\"}` lines; `file:` also logs), "
                    + "`none`. `replay` uses `stderr`."),
    CHECKPOINT_INTERVAL("checkpoint.interval", "60s", null,
            "Checkpoint interval (exactly-once), used when the environment does not checkpoint already: on Managed "
                    + "Flink the application's checkpoint configuration applies instead."),
    CHECKPOINT_DIR("checkpoint.dir", "", null,
            "Local runs: directory (or URI) for checkpoints (`DIR/JOB_ID/chk-N`) and savepoints (`DIR/savepoints`), "
                    + "kept when the process is killed or the job fails (a stop with SIGTERM or Ctrl-C leaves a "
                    + "savepoint instead). `run` resumes by itself from the newest complete one (see README, "
                    + "Guarantees). Default: in memory, nothing is kept across runs."),
    CHECKPOINT_RESTORE("checkpoint.restore", "", null,
            "Local runs: a checkpoint or savepoint directory (`.../chk-42`, `.../savepoint-...`) to resume from "
                    + "instead of the newest one in `checkpoint.dir`."),
    CHECKPOINT_FRESH("checkpoint.fresh", "false", "--fresh",
            "Local runs: `true` starts with empty state even when `checkpoint.dir` holds snapshots; a "
                    + "`fresh-start` file in `checkpoint.dir` makes later runs ignore the snapshots completed before "
                    + "it."),
    CHECKPOINT_RETAINED("checkpoint.retained", "2", null,
            "Local runs: complete checkpoints kept per run (Flink's `state.checkpoints.num-retained`). At least 1; "
                    + "the older one survives damage to the newest."),
    CHECKPOINT_STOP_TIMEOUT("checkpoint.stop_timeout", "30s", null,
            "Local runs with `checkpoint.dir`: on SIGTERM or Ctrl-C, how long `run` waits for a stop-with-savepoint "
                    + "into `DIR/savepoints` before it exits without one (`0s`: never take one)."),
    PARALLELISM("parallelism", "", null,
            "Local runs: parallelism of the MiniCluster (default: the number of CPUs, at most 4). Managed Flink sets "
                    + "its own."),
    WEB_UI_PORT("local.web_ui_port", "8081", null,
            "Local `run`: port (or range, `8081-8090`) of the Flink web UI."),
    KINESIS_PASSTHROUGH("kinesis.*", "", null,
            "Any `kinesis.<key>` is passed as `<key>` to both Kinesis consumers, e.g. "
                    + "`kinesis.flink.shard.getrecords.intervalmillis=500`.");

    private final String key;
    private final String defaultValue;
    private final String flag;
    private final String description;

    ConfigKey(String key, String defaultValue, String flag, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.flag = flag;
        this.description = description;
    }

    public String key() {
        return key;
    }

    /** The default ("" when there is none or it is computed). */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default read as a duration ({@link Durations}). */
    public java.time.Duration defaultDuration() {
        return Durations.parse(defaultValue);
    }

    /** The `run` flag that sets it, or null. */
    public String flag() {
        return flag;
    }

    public String description() {
        return description;
    }

    /** The key for a name, or null. {@code kinesis.anything} is {@link #KINESIS_PASSTHROUGH}. */
    public static ConfigKey of(String name) {
        for (ConfigKey k : values()) {
            if (k.key.equals(name)) {
                return k;
            }
        }
        return name.startsWith("kinesis.") && name.length() > "kinesis.".length() ? KINESIS_PASSTHROUGH : null;
    }
}
