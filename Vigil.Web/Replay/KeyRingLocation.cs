namespace Vigil.Web.Replay;

/// <summary>The folder of the Data Protection key ring, for the start-up banner.</summary>
public sealed record KeyRingLocation(string Path);
