namespace Vigil.Core.Drift;

/// <summary>The spans one distribution is built from: a kind, and a name or model when the project groups finer.</summary>
public readonly record struct DriftGroup(string Kind, string? Name, string? Model)
{
    public override string ToString() => Kind + (Name is null ? "" : "/" + Name) + (Model is null ? "" : "/" + Model);
}
