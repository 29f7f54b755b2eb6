namespace Vigil.Core.Projects;

/// <summary>Who a valid API key speaks for.</summary>
public sealed record ApiKeyIdentity(long KeyId, string ProjectId, string Prefix);
