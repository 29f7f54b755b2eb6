using System.Collections.Concurrent;
using System.IO.Compression;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Vigil.Core.Ingest;
using Vigil.Core.Ingest.Otlp;
using Vigil.Core.Ingest.Otlp.Proto;
using Vigil.Core.Storage;
using Vigil.Web.Ingest;

namespace Vigil.Web.Tests.Fuzz;

/// <summary>
/// What the database must hold after a fuzz run: for every accepted request, exactly the spans its batch holds (minus the
/// ones an OTLP partial success reported as rejected); for every rejected request, nothing. The batch is decoded here with
/// Vigil.Core's own readers (what is tested is the HTTP layer and the write path, not the decoders' opinion), and the
/// answer is cross-checked: an accepted native batch must be valid as a whole, an OTLP answer must report the count of
/// invalid spans as rejected.
/// </summary>
internal sealed class IngestLedger(string projectId, IngestOptions limits)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _expected = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _inconsistencies = new();
    private int _anonymousSpans;

    public IReadOnlyCollection<string> Inconsistencies => _inconsistencies;

    /// <summary>Trace ids of accepted spans, to read a few back after the run.</summary>
    public IEnumerable<string> TraceIds => _expected.Keys;

    public void Accepted(FuzzRequest request, byte[] response)
    {
        try
        {
            var body = request.IsGzip ? Gunzip(request.Body) : request.Body;
            if (request.IsProtobuf)
                AcceptedOtlp(OtlpProtobufReader.Read(body), ExportTraceServiceResponse.Parser.ParseFrom(response));
            else if (PayloadShape.Detect(body) == PayloadShape.Kind.OtlpJson)
                AcceptedOtlp(OtlpJsonReader.Read(body, limits), ParseJsonResponse(response));
            else
                AcceptedNative(NativeBatchParser.Parse(body, limits));
        }
        catch (Exception ex)
        {
            _inconsistencies.Enqueue($"accepted a body its reader refuses ({ex.GetType().Name}: {ex.Message})");
        }
    }

    private void AcceptedNative(IngestBatch batch)
    {
        var errors = new List<IngestError>(batch.Errors);
        for (var i = 0; i < batch.Spans.Count; i++) IngestValidator.Validate(batch.Spans[i], i, errors);
        if (errors.Count > 0) _inconsistencies.Enqueue($"accepted an invalid native batch: {errors[0].Path} {errors[0].Message}");
        if (batch.ProjectId is { Length: > 0 } p && p != projectId) _inconsistencies.Enqueue($"accepted a batch for project '{p}'");
        Record(batch.Spans);
    }

    private void AcceptedOtlp(ExportTraceServiceRequest request, ExportTraceServiceResponse response)
    {
        var batch = OtlpMapper.Map(request, limits);
        var errors = new List<IngestError>(batch.Errors);
        for (var i = 0; i < batch.Spans.Count; i++) IngestValidator.Validate(batch.Spans[i], i, errors);
        var bad = errors.Select(e => e.SpanIndex ?? -1).ToHashSet();
        var rejected = response.PartialSuccess?.RejectedSpans ?? 0;
        if (rejected != bad.Count) _inconsistencies.Enqueue($"OTLP answer reports {rejected} rejected spans; {bad.Count} are invalid");
        Record(batch.Spans.Where((_, i) => !bad.Contains(i)).ToList());
    }

    /// <summary>Where the spans land, resolved as ingest does: a span without a trace id joins the batch's first trace.</summary>
    private void Record(IReadOnlyList<SpanInput> spans)
    {
        if (spans.Count == 0) return;
        var first = spans.FirstOrDefault(s => !string.IsNullOrEmpty(s.TraceId))?.TraceId;
        if (first is null)
        {
            // A trace id the server makes up: count its distinct spans.
            Interlocked.Add(ref _anonymousSpans, spans.Select(s => s.SpanId).Distinct().Count());
            return;
        }
        foreach (var s in spans)
            _expected.GetOrAdd(string.IsNullOrEmpty(s.TraceId) ? first : s.TraceId, _ => new(StringComparer.Ordinal)).TryAdd(s.SpanId!, 0);
    }

    /// <summary>Differences between the database and the ledger; empty when every write was whole.</summary>
    public async Task<List<string>> CompareAsync(IDbContextFactory<VigilDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var rows = await db.Spans.AsNoTracking().Where(s => s.ProjectId == projectId).Select(s => new { s.TraceId, s.SpanId }).ToListAsync();
        var problems = new List<string>();
        var actual = rows.GroupBy(r => r.TraceId).ToDictionary(g => g.Key, g => g.Select(r => r.SpanId).ToHashSet(StringComparer.Ordinal));
        var anonymous = 0;
        foreach (var (traceId, spanIds) in actual)
        {
            if (!_expected.TryGetValue(traceId, out var expected)) { anonymous += spanIds.Count; continue; }
            foreach (var extra in spanIds.Where(s => !expected.ContainsKey(s)).Take(3))
                problems.Add($"trace '{traceId}' holds span '{extra}' that no accepted request sent");
        }
        foreach (var (traceId, expected) in _expected)
        {
            var have = actual.GetValueOrDefault(traceId);
            foreach (var missing in expected.Keys.Where(s => have?.Contains(s) != true).Take(3))
                problems.Add($"trace '{traceId}' lacks span '{missing}' of an accepted request");
        }
        if (anonymous != _anonymousSpans)
            problems.Add($"{anonymous} spans in traces no accepted request named; expected {_anonymousSpans} (batches without any trace id)");
        return problems;
    }

    private static ExportTraceServiceResponse ParseJsonResponse(byte[] response)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(response);
        var result = new ExportTraceServiceResponse();
        if (doc.RootElement.TryGetProperty("partialSuccess", out var partial))
        {
            result.PartialSuccess = new ExportTracePartialSuccess();
            if (partial.TryGetProperty("rejectedSpans", out var r))
                result.PartialSuccess.RejectedSpans = r.ValueKind == System.Text.Json.JsonValueKind.String ? long.Parse(r.GetString()!) : r.GetInt64();
        }
        return result;
    }

    private static byte[] Gunzip(byte[] body)
    {
        using var input = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
