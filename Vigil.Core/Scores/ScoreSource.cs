namespace Vigil.Core.Scores;

/// <summary>Where a score came from.</summary>
public static class ScoreSource
{
    /// <summary>POST /v1/scores (the default).</summary>
    public const string Api = "api";
    /// <summary>A member in the dashboard.</summary>
    public const string Annotation = "annotation";
    /// <summary>The .NET SDK (<c>span.Score</c>, <c>ScoreAsync</c>).</summary>
    public const string Sdk = "sdk";
    /// <summary>An OTLP <c>gen_ai.evaluation.result</c> event.</summary>
    public const string Otel = "otel";

    public static readonly IReadOnlyList<string> All = [Api, Annotation, Sdk, Otel];

    public static bool IsValid(string? value) => value is not null && All.Contains(value);
}
