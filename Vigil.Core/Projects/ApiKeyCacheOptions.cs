using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Projects;

/// <summary>Bound from <c>Vigil:ApiKeys</c>: the bounded cache of API key lookups in front of the database.</summary>
public sealed class ApiKeyCacheOptions
{
    public const string Section = "Vigil:ApiKeys";

    /// <summary>Lookups kept at once, known and unknown keys together (about 0.5 KB each).</summary>
    [Range(100, 10_000_000)]
    public int CacheEntries { get; set; } = 10_000;

    /// <summary>How long a known key's identity is trusted without asking the database (revoking clears it at once).</summary>
    [Range(1, 3600)]
    public int CacheSeconds { get; set; } = 30;

    /// <summary>How long "no such key" is remembered, so a client stuck on a bad key does not query the database each time.</summary>
    [Range(0, 3600)]
    public int UnknownCacheSeconds { get; set; } = 10;
}

[OptionsValidator]
public sealed partial class ApiKeyCacheOptionsValidator : IValidateOptions<ApiKeyCacheOptions>;
