using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Core.Alerting;
using Vigil.Core.Live;
using Vigil.Core.Notifications;
using Vigil.Core.Storage;

namespace Vigil.Core.Drift;

/// <summary>
/// One detection run for one project: read both windows, compute PSI per group and metric, store a measurement for each,
/// open / update / resolve alerts, then notify and push live. Runs of the same project are serialized, across instances
/// too (a cluster lock per project: a PostgreSQL advisory lock), so a manual run and the scheduler, here or elsewhere,
/// never open the same alert twice.
/// </summary>
public sealed class DriftDetector(
    IDbContextFactory<VigilDbContext> dbFactory,
    IDriftWindowSource windows,
    ScoreWindowReader scoreWindows,
    WriteGate writeGate,
    IClusterLocks locks,
    LiveFeed liveFeed,
    NotificationService notifications,
    OutboxSignal outboxSignal,
    IOptions<DriftOptions> options,
    TimeProvider time,
    ILogger<DriftDetector> logger)
{
    /// <summary>Readers and PSI workers per run (<see cref="DriftOptions.ReadParallelism"/>; 0 = one per core, at most 4).</summary>
    internal static int Parallelism(int configured) => configured > 0 ? configured : Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Runs detection now. Null when the project does not exist.</summary>
    public async Task<DriftRunResult?> RunAsync(string projectId, CancellationToken ct = default)
    {
        await using var _ = await locks.AcquireAsync("vigil:drift:" + projectId, ct);
        return await RunLockedAsync(projectId, ct);
    }

    private async Task<DriftRunResult?> RunLockedAsync(string projectId, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var project = await db.Projects.AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null) return null;
        var settings = DriftSettings.Resolve(project, options.Value);

        var nowUs = UnixMicros.Now(time);
        var currentStart = nowUs - settings.CurrentHours * 3_600_000_000L;
        var baselineStart = currentStart - settings.BaselineHours * 3_600_000_000L;

        var (baseline, current) = await windows.ReadWindowsAsync(projectId, baselineStart, currentStart, nowUs,
            settings.GroupBy, Parallelism(options.Value.ReadParallelism), ct);
        await scoreWindows.AddAsync(projectId, baselineStart, currentStart, nowUs, settings.GroupBy, baseline, current, ct);
        var readMs = sw.Elapsed.TotalMilliseconds;

        var measurements = Measure(projectId, settings, baseline, current, nowUs, Parallelism(options.Value.ReadParallelism));
        var computeMs = sw.Elapsed.TotalMilliseconds - readMs;

        var window = new Window(baselineStart, currentStart, nowUs);
        var (opened, updated, escalated, resolved) = await StoreAsync(db, projectId, measurements, window, nowUs, ct);

        foreach (var a in opened) await NotifyAsync(a, "Drift detected", ct);
        foreach (var a in escalated) await NotifyAsync(a, "Drift worsened", ct);
        foreach (var a in opened.Concat(updated)) liveFeed.Publish(new DriftAlertEvent(projectId, a));
        foreach (var a in resolved) liveFeed.Publish(new DriftResolvedEvent(projectId, a));

        logger.LogInformation(
            "Drift run for {ProjectId}: {Groups} group(s), {Measurements} measurement(s), {Opened} opened, {Updated} updated, {Resolved} resolved in {Ms:0} ms (read {ReadMs:0} ms, PSI {ComputeMs:0} ms)",
            projectId, baseline.Keys.Union(current.Keys).Count(), measurements.Count, opened.Count, updated.Count, resolved.Count,
            sw.Elapsed.TotalMilliseconds, readMs, computeMs);
        return new DriftRunResult(projectId, baselineStart, currentStart, nowUs, measurements.Count, opened, updated, resolved);
    }

    /// <summary>
    /// PSI for every group and metric with enough samples in both windows, in group then metric order. The pairs are
    /// independent, so up to <paramref name="parallelism"/> run at once, largest first so a big one does not start last.
    /// </summary>
    internal static List<Measured> Measure(string projectId, DriftSettings settings,
        Dictionary<DriftGroup, WindowSamples> baseline, Dictionary<DriftGroup, WindowSamples> current, long nowUs, int parallelism = 1)
    {
        var jobs = new List<(DriftGroup Group, WindowSamples B, WindowSamples C, string Metric)>();
        foreach (var (group, b) in baseline.OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            if (!current.TryGetValue(group, out var c)) continue;
            foreach (var metric in b.Metrics())
                if (b.Count(metric) >= settings.MinBaselineSamples && c.Count(metric) >= settings.MinCurrentSamples) jobs.Add((group, b, c, metric));
        }

        var results = new Measured[jobs.Count];
        var largestFirst = Enumerable.Range(0, jobs.Count)
            .OrderByDescending(i => jobs[i].Metric == DriftMetric.ErrorRate ? 0 : jobs[i].B.Count(jobs[i].Metric) + jobs[i].C.Count(jobs[i].Metric));
        Parallel.ForEach(Partitioner.Create(largestFirst, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) },
            i => results[i] = MeasureOne(projectId, settings, jobs[i].Group, jobs[i].B, jobs[i].C, jobs[i].Metric, nowUs));
        return [.. results];
    }

    private static Measured MeasureOne(string projectId, DriftSettings settings, DriftGroup group, WindowSamples b, WindowSamples c, string metric, long nowUs)
    {
        // A yes/no score (thumbs, pass/fail) is compared like the error rate: as a share, in two bins.
        var binary = metric == DriftMetric.ErrorRate || (DriftMetric.ScoreName(metric) is not null && IsZeroOne(b.Values(metric)!) && IsZeroOne(c.Values(metric)!));
        var psi = metric == DriftMetric.ErrorRate ? Psi.Binary(b.Errors, b.Total, c.Errors, c.Total)
            : binary ? Psi.Binary(Ones(b.Values(metric)!), b.Count(metric), Ones(c.Values(metric)!), c.Count(metric))
            : Psi.Compute(CollectionsMarshal.AsSpan(b.Values(metric)), CollectionsMarshal.AsSpan(c.Values(metric)), settings.Binning,
                settings.Binning == DriftBinning.Quantile ? settings.QuantileBins(c.Count(metric)) : settings.Bins);
        var binning = binary ? "binary" : settings.Binning.ToName();
        var m = new DriftMeasurement
        {
            ProjectId = projectId,
            SpanKind = group.Kind,
            SpanName = group.Name,
            Model = group.Model,
            Metric = metric,
            PsiScore = psi.Score,
            BaselineValue = b.Summary(metric),
            CurrentValue = c.Summary(metric),
            BaselineCount = b.Count(metric),
            CurrentCount = c.Count(metric),
            MeasuredAtUs = nowUs,
        };
        return new Measured(m, DriftHistogram.From(psi, binning));
    }

    private async Task<(List<DriftAlert> Opened, List<DriftAlert> Updated, List<DriftAlert> Escalated, List<DriftAlert> Resolved)> StoreAsync(
        VigilDbContext db, string projectId, List<Measured> measured, Window w, long nowUs, CancellationToken ct)
    {
        List<DriftAlert> opened = [], updated = [], escalated = [], resolved = [];
        using var _ = await writeGate.EnterAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var open = await db.DriftAlerts.Where(a => a.ProjectId == projectId && !a.Resolved).ToListAsync(ct);
        var byKey = new Dictionary<(string, string?, string?, string), DriftAlert>();
        foreach (var a in open) byKey.TryAdd((a.SpanKind, a.SpanName, a.Model, a.Metric), a);

        foreach (var (m, histogram) in measured)
        {
            db.DriftMeasurements.Add(m);
            var severity = DriftSeverity.Of(m.PsiScore);
            byKey.TryGetValue((m.SpanKind, m.SpanName, m.Model, m.Metric), out var alert);
            if (severity is null)
            {
                // Back under the medium threshold: the shift is over.
                if (alert is null) continue;
                alert.Resolved = true;
                alert.ResolvedAtUs = nowUs;
                alert.UpdatedAtUs = nowUs;
                Apply(alert, m, histogram, w);
                resolved.Add(alert);
                continue;
            }
            if (alert is null)
            {
                alert = new DriftAlert
                {
                    ProjectId = projectId, SpanKind = m.SpanKind, SpanName = m.SpanName, Model = m.Model, Metric = m.Metric,
                    Severity = severity, CreatedAtUs = nowUs, UpdatedAtUs = nowUs,
                };
                Apply(alert, m, histogram, w);
                db.DriftAlerts.Add(alert);
                opened.Add(alert);
                continue;
            }
            // Still drifting: update the open alert instead of opening a duplicate.
            if (severity == DriftSeverity.High && alert.Severity != DriftSeverity.High) escalated.Add(alert);
            alert.Severity = severity;
            alert.UpdatedAtUs = nowUs;
            Apply(alert, m, histogram, w);
            updated.Add(alert);
        }
        await db.SaveChangesAsync(ct);
        // Queued for the alert channels in the same transaction (new alerts have their ids now).
        var queued = DriftAlertEvents.Queue(db, opened, escalated, resolved, nowUs);
        if (queued) await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (queued) outboxSignal.Wake();
        return (opened, updated, escalated, resolved);
    }

    private static void Apply(DriftAlert a, DriftMeasurement m, DriftHistogram histogram, Window w)
    {
        a.BaselineValue = m.BaselineValue;
        a.CurrentValue = m.CurrentValue;
        a.PsiScore = m.PsiScore;
        a.BaselineCount = m.BaselineCount;
        a.CurrentCount = m.CurrentCount;
        a.BaselineStartUs = w.BaselineStartUs;
        a.BaselineEndUs = w.CurrentStartUs;
        a.CurrentStartUs = w.CurrentStartUs;
        a.CurrentEndUs = w.CurrentEndUs;
        a.Histogram = histogram.ToJson();
    }

    private async Task NotifyAsync(DriftAlert a, string what, CancellationToken ct)
    {
        var group = new DriftGroup(a.SpanKind, a.SpanName, a.Model);
        var title = $"{what}: {a.Metric} of {group} ({a.Severity})";
        var body = string.Create(CultureInfo.InvariantCulture,
            $"PSI {a.PsiScore:0.###}; {a.Metric} {a.BaselineValue:0.###} → {a.CurrentValue:0.###} (baseline {a.BaselineCount} spans, current {a.CurrentCount} spans).");
        try { await notifications.CreateAsync(a.ProjectId, NotificationType.DriftAlert, title, body, a.Id.ToString(CultureInfo.InvariantCulture), ct); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The alert is stored and pushed live; a failed bell entry must not fail the run.
            logger.LogWarning(ex, "Could not create the notification for drift alert {AlertId}", a.Id);
        }
    }

    private static bool IsZeroOne(List<double> values) => values.TrueForAll(v => v is 0 or 1);

    private static long Ones(List<double> values) => values.Count(v => v == 1);

    internal sealed record Measured(DriftMeasurement Measurement, DriftHistogram Histogram);

    private sealed record Window(long BaselineStartUs, long CurrentStartUs, long CurrentEndUs);
}
