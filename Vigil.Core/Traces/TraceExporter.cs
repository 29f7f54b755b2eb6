using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Storage;

namespace Vigil.Core.Traces;

/// <summary>
/// Streams a project's traces, filtered like the trace list, in start time order, in constant memory (chunks of traces
/// read by key, each trace's spans streamed): JSONL in the native ingest format (one line per trace, so posting the lines
/// to another Vigil recreates the traces; a trace of more than <see cref="MaxSpansPerLine"/> spans or
/// <see cref="MaxLineBytes"/> continues on further lines), or CSV with one row per trace and its rollups.
/// </summary>
public sealed class TraceExporter(IDbContextFactory<VigilDbContext> dbFactory, TraceQueryService traces, ITraceSearch search)
{
    /// <summary>The ingest limit of spans per batch.</summary>
    public const int MaxSpansPerLine = 1000;
    /// <summary>Below the ingest body limit (4 MiB) with room to spare.</summary>
    public const int MaxLineBytes = 3 << 20;
    private const int Chunk = 500;

    private static readonly string[] CsvColumns = ["trace_id", "name", "status", "start_time", "end_time", "duration_ms", "span_count", "error_count",
        "input_tokens", "output_tokens", "cost_usd", "models", "external_id"];

    public Task WriteJsonLinesAsync(string projectId, TraceQuery filters, Stream output, CancellationToken ct = default) =>
        ExportAsync(projectId, filters, output, writeCsvHeader: false, async (db, chunk, o, c) =>
        {
            var byPk = chunk.ToDictionary(t => t.Id);
            var spans = db.Spans.AsNoTracking().Where(s => byPk.Keys.Contains(s.TracePk)).OrderBy(s => s.TracePk).ThenBy(s => s.Id).AsAsyncEnumerable();
            var line = new JsonLine(o);
            await foreach (var s in spans.WithCancellation(c))
                await line.AddAsync(byPk[s.TracePk], s, c);
            await line.FlushAsync(c);
        }, ct);

    public Task WriteCsvAsync(string projectId, TraceQuery filters, Stream output, CancellationToken ct = default) =>
        ExportAsync(projectId, filters, output, writeCsvHeader: true, async (_, chunk, o, c) =>
        {
            var sb = new StringBuilder();
            foreach (var t in chunk) CsvRow(sb, t);
            await o.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), c);
        }, ct);

    private async Task ExportAsync(string projectId, TraceQuery filters, Stream output, bool writeCsvHeader,
        Func<VigilDbContext, List<TraceRecord>, Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        if (writeCsvHeader) await output.WriteAsync(Encoding.UTF8.GetBytes(string.Join(',', CsvColumns) + "\r\n"), ct);
        long lastStart = long.MinValue, lastId = long.MinValue;
        while (true)
        {
            // A short query per chunk (keyed on start time and id), so no read transaction stays open for the whole export.
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var (q, _, _, walkText, _) = await traces.FilterAsync(db, projectId, filters, ct);
            var (s0, i0) = (lastStart, lastId);
            var chunk = await q.Where(t => t.StartTimeUs > s0 || (t.StartTimeUs == s0 && t.Id > i0))
                .OrderBy(t => t.StartTimeUs).ThenBy(t => t.Id).Take(Chunk).ToListAsync(ct);
            if (chunk.Count == 0) return;
            (lastStart, lastId) = (chunk[^1].StartTimeUs, chunk[^1].Id);
            if (walkText is not null)
            {
                var hits = await search.MatchingAsync(db, projectId, walkText, chunk.Select(t => t.Id).ToList(), ct);
                chunk = chunk.Where(t => hits.Contains(t.Id)).ToList();
            }
            if (chunk.Count > 0) await write(db, chunk, output, ct);
            await output.FlushAsync(ct);
        }
    }

    /// <summary>The lines of one chunk: a trace's spans go into its line until it is full, then a continuation line.</summary>
    private sealed class JsonLine(Stream output)
    {
        private readonly MemoryStream _buffer = new();
        private Utf8JsonWriter? _writer;
        private long _tracePk = -1;
        private int _spans;

        public async Task AddAsync(TraceRecord trace, SpanRecord s, CancellationToken ct)
        {
            if (_writer is not null && (trace.Id != _tracePk || _spans >= MaxSpansPerLine || _writer.BytesCommitted + _writer.BytesPending >= MaxLineBytes))
                await FlushAsync(ct);
            if (_writer is null) Start(trace, first: trace.Id != _tracePk);
            Span(_writer!, s);
            _spans++;
        }

        private void Start(TraceRecord trace, bool first)
        {
            _buffer.SetLength(0);
            _writer = new Utf8JsonWriter(_buffer);
            _writer.WriteStartObject();
            _writer.WriteStartArray("spans");
            _tracePk = trace.Id;
            _spans = 0;
            _header = first ? trace : null;
        }

        private TraceRecord? _header;

        public async Task FlushAsync(CancellationToken ct)
        {
            if (_writer is null) return;
            var w = _writer;
            w.WriteEndArray();
            if (_header is { } t)
            {
                // The name only when a client gave it: otherwise it follows the root span again on import.
                if (t.NameExplicit && t.Name is not null) w.WriteString("trace_name", t.Name);
                if (t.Metadata is not null) { w.WritePropertyName("trace_metadata"); w.WriteRawValue(t.Metadata, skipInputValidation: true); }
                if (t.ExternalId is not null) w.WriteString("external_id", t.ExternalId);
            }
            w.WriteEndObject();
            await w.FlushAsync(ct);
            await w.DisposeAsync();
            _writer = null;
            _buffer.WriteByte((byte)'\n');
            _buffer.Position = 0;
            await _buffer.CopyToAsync(output, ct);
        }

        private static void Span(Utf8JsonWriter w, SpanRecord s)
        {
            w.WriteStartObject();
            w.WriteString("span_id", s.SpanId);
            w.WriteString("trace_id", s.TraceId);
            if (s.ParentSpanId is null) w.WriteNull("parent_span_id"); else w.WriteString("parent_span_id", s.ParentSpanId);
            w.WriteString("name", s.Name);
            w.WriteString("kind", s.Kind);
            w.WriteString("status", s.Status);
            Raw(w, "input", s.Input);
            Raw(w, "output", s.Output);
            Raw(w, "metadata", s.Metadata);
            Raw(w, "events", s.Events);
            w.WriteString("start_time", Time(s.StartTimeUs));
            if (s.EndTimeUs is { } end) w.WriteString("end_time", Time(end)); else w.WriteNull("end_time");
            if (s.Model is not null) w.WriteString("model", s.Model);
            if (s.Provider is not null) w.WriteString("provider", s.Provider);
            if (s.InputTokens is not null || s.OutputTokens is not null)
            {
                w.WriteStartObject("usage");
                if (s.InputTokens is { } i) w.WriteNumber("input_tokens", i);
                if (s.OutputTokens is { } o) w.WriteNumber("output_tokens", o);
                w.WriteEndObject();
            }
            if (s.CostUsd is { } cost) w.WriteNumber("cost_usd", cost);
            w.WriteEndObject();
        }

        private static void Raw(Utf8JsonWriter w, string name, string? json)
        {
            if (json is null) return;
            w.WritePropertyName(name);
            w.WriteRawValue(json, skipInputValidation: true);
        }
    }

    private static string Time(long us) => UnixMicros.ToDateTime(us).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void CsvRow(StringBuilder sb, TraceRecord t)
    {
        string?[] cells =
        [
            t.TraceId, t.Name, t.Status, Time(t.StartTimeUs), t.EndTimeUs is { } e ? Time(e) : null,
            t.DurationMs?.ToString("R", CultureInfo.InvariantCulture), t.SpanCount.ToString(CultureInfo.InvariantCulture),
            t.ErrorCount.ToString(CultureInfo.InvariantCulture), t.InputTokens.ToString(CultureInfo.InvariantCulture),
            t.OutputTokens.ToString(CultureInfo.InvariantCulture), t.CostUsd.ToString("R", CultureInfo.InvariantCulture), t.Models, t.ExternalId,
        ];
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(Csv(cells[i], text: i is 0 or 1 or 11 or 12));
        }
        sb.Append("\r\n");
    }

    /// <summary>RFC 4180 quoting; text that a spreadsheet would run as a formula gets a leading apostrophe.</summary>
    internal static string Csv(string? value, bool text)
    {
        if (value is null) return "";
        if (text && value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
