package dev.sluice.activation;

import dev.sluice.error.ConfigException;
import dev.sluice.operator.Operator;
import dev.sluice.operator.OperatorContext;
import dev.sluice.operator.OperatorResult;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * export_webhook: POSTs the input query's rows as JSON batches to url. Config: url (an empty url turns the
 * operator off), headers, batch_size, max_retries, backoff_ms, max_backoff_ms, timeout_ms,
 * connect_timeout_ms, hash_columns, and incremental + id_column to send only changes, tracked in the state
 * table output. See {@link WebhookSender} for retries and {@link WebhookExport} for what is sent.
 */
public final class ExportWebhookOperator implements Operator {
    private final WebhookSender.Sleeper sleeper;

    public ExportWebhookOperator() {
        this(Thread::sleep);
    }

    public ExportWebhookOperator(WebhookSender.Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    @Override
    public String type() {
        return "export_webhook";
    }

    @Override
    public java.util.Set<String> configKeys() {
        return ExportConfig.keys("url", "headers", "batch_size", "max_retries", "backoff_ms", "max_backoff_ms", "timeout_ms",
                "connect_timeout_ms");
    }

    @Override
    public OperatorResult run(OperatorContext ctx) {
        String url = ctx.string("url", "").strip();
        if (url.isEmpty()) {
            ctx.log("url is empty: nothing sent");
            ActivationLog.record(ctx, new ActivationLog.Entry("webhook", "", "skipped", 0, null, "url is empty: nothing sent"));
            return new OperatorResult("SKIP (url is empty)", 0);
        }
        Map<String, String> headers = headers(ctx);
        List<String> secrets = new ArrayList<>(headers.values());
        URI uri = uri(ctx, url, secrets);
        secrets.add(uri.getRawQuery());
        secrets.add(uri.getRawUserInfo());
        Redactor redactor = new Redactor(secrets);
        checkHeaders(ctx, uri, headers);

        boolean incremental = ExportConfig.incremental(ctx);
        String idColumn = ExportConfig.idColumn(ctx, incremental);
        int batchSize = (int) positive(ctx, "batch_size", 500);
        WebhookSender.Settings settings = new WebhookSender.Settings(uri, headers,
                (int) Math.max(0, ctx.number("max_retries", 5)), Math.max(0, ctx.number("backoff_ms", 200)),
                Math.max(0, ctx.number("max_backoff_ms", 5_000)), Duration.ofMillis(positive(ctx, "timeout_ms", 30_000)));
        WebhookSender sender = new WebhookSender(WebhookSender.client(Duration.ofMillis(positive(ctx, "connect_timeout_ms", 10_000))),
                settings, sleeper, ctx::log, redactor);
        WebhookExport export = new WebhookExport(ctx.node().name(), sender, batchSize, ctx::log);

        ExportRows rows = ExportRows.query(ctx.session(), ctx.inputSql(), ExportConfig.hashColumns(ctx));
        // Only the host is shown: paths and queries of webhook urls often embed tokens.
        ctx.log((incremental ? "changes of " : "") + rows.size() + " rows to " + uri.getHost());
        WebhookExport.Outcome o;
        try {
            o = incremental
                    ? export.sendChanges(rows, idColumn, new ExportState(ctx.adapter(), ctx.session(), ExportConfig.stateTable(ctx)), Instant::now)
                    : export.sendAll(rows, idColumn);
        } catch (RuntimeException e) {
            ExportFileOperator.recordFailure(ctx, "webhook", uri.getHost(), rows.size(), redactor.scrub(String.valueOf(e.getMessage())), e);
            throw e;
        }
        ActivationLog.record(ctx, new ActivationLog.Entry("webhook", uri.getHost(), "success", rows.size(), o.counts(), o.message()));
        return new OperatorResult(o.message(), o.items());
    }

    private static Map<String, String> headers(OperatorContext ctx) {
        Object h = ctx.value("headers");
        Map<String, String> out = new LinkedHashMap<>();
        if (h == null) return out;
        if (!(h instanceof Map<?, ?> m)) {
            throw new ConfigException("headers of operator '" + ctx.node().name() + "' must be a mapping of name to value", ctx.where());
        }
        m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return out;
    }

    private static URI uri(OperatorContext ctx, String url, List<String> secrets) {
        Redactor early = new Redactor(secrets);
        try {
            URI u = URI.create(url);
            if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) url");
            }
            return u;
        } catch (IllegalArgumentException e) {
            // The url itself is not echoed: it may carry a token.
            throw new ConfigException("url of operator '" + ctx.node().name() + "' is not a valid http(s) url: "
                    + early.scrub(e.getMessage() == null ? "" : e.getMessage().replace(url, "<url>")), ctx.where());
        }
    }

    /** Headers HttpClient refuses (Host, Content-Length, ...) are reported by name, before anything is sent. */
    private static void checkHeaders(OperatorContext ctx, URI uri, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        headers.forEach((k, v) -> {
            try {
                b.setHeader(k, v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("header '" + k + "' of operator '" + ctx.node().name()
                        + "' cannot be set (restricted name or invalid value)", ctx.where());
            }
        });
    }

    private static long positive(OperatorContext ctx, String key, long fallback) {
        long v = ctx.number(key, fallback);
        if (v < 1) throw new ConfigException(key + " of operator '" + ctx.node().name() + "' must be at least 1", ctx.where());
        return v;
    }
}
