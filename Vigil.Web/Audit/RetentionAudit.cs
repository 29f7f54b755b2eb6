namespace Vigil.Web.Audit;

/// <summary>The audit log's detail for retention changes and runs, the same from the API and the Settings panel.</summary>
public static class RetentionAudit
{
    public static string Detail(int? days, long? maxSpans) =>
        $"days {(days is { } d ? d.ToString("N0") : "server default")}, max spans {(maxSpans is { } m ? m.ToString("N0") : "no limit")}";

    public static string RunDetail(long traces, long spans) => $"deleted {traces:N0} traces ({spans:N0} spans)";
}
