using System.Globalization;
using Vigil.Core.Drift;
using Vigil.Core.Storage;

namespace Vigil.Core.Alerting;

/// <summary>How drift alerts reach the outbox: fired (opened), escalated (medium → high) and resolved.</summary>
public static class DriftAlertEvents
{
    /// <summary>Adds the outbox entries of a detection run (or a user's resolve) to the caller's context; answers whether it added any.</summary>
    public static bool Queue(VigilDbContext db, IEnumerable<DriftAlert> fired, IEnumerable<DriftAlert> escalated, IEnumerable<DriftAlert> resolved, long nowUs)
    {
        var any = false;
        foreach (var a in fired) { AlertOutbox.Add(db, From(a, "fired", nowUs), nowUs); any = true; }
        foreach (var a in escalated) { AlertOutbox.Add(db, From(a, "escalated", nowUs), nowUs); any = true; }
        foreach (var a in resolved) { AlertOutbox.Add(db, From(a, "resolved", nowUs), nowUs); any = true; }
        return any;
    }

    public static AlertEvent From(DriftAlert a, string change, long nowUs)
    {
        var group = new DriftGroup(a.SpanKind, a.SpanName, a.Model).ToString();
        var title = change switch
        {
            "resolved" => $"Drift resolved: {a.Metric} of {group}",
            "escalated" => $"Drift worsened: {a.Metric} of {group} ({a.Severity})",
            _ => $"Drift detected: {a.Metric} of {group} ({a.Severity})",
        };
        return new AlertEvent
        {
            Source = AlertSource.Drift,
            State = change == "resolved" ? "resolved" : "fired",
            PreviousState = change == "escalated" ? "fired" : null,
            Change = change,
            Severity = a.Severity,
            Title = title,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"PSI {a.PsiScore:0.###}; {a.Metric} {a.BaselineValue:0.###} → {a.CurrentValue:0.###} (baseline {a.BaselineCount} spans, current {a.CurrentCount} spans)."),
            ProjectId = a.ProjectId,
            Metric = a.Metric,
            Value = a.CurrentValue,
            Thresholds = new AlertThresholds(DriftSeverity.MediumThreshold, DriftSeverity.HighThreshold, "above", "psi"),
            Path = "/alerts",
            OccurredAtUs = nowUs,
            Drift = new DriftAlertInfo(a.Id, a.SpanKind, a.SpanName, a.Model, a.PsiScore, a.BaselineValue, a.CurrentValue),
        };
    }
}
