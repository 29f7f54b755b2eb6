using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace Vigil.Web.Protection;

/// <summary>
/// Bound from <c>Vigil:ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
/// are believed. Default: none, so behind no proxy a client cannot pick its own address or scheme.
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string Section = "Vigil:ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Errors naming the bad entry, for start-up validation.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Validate().Select(e => new ValidationResult(e));

    public IEnumerable<string> Validate()
    {
        for (var i = 0; i < KnownProxies.Length; i++)
            if (!IPAddress.TryParse(KnownProxies[i], out _))
                yield return $"{Section}:KnownProxies:{i} '{KnownProxies[i]}' is not an IP address.";
        for (var i = 0; i < KnownNetworks.Length; i++)
            if (!IPNetwork.TryParse(KnownNetworks[i], out _))
                yield return $"{Section}:KnownNetworks:{i} '{KnownNetworks[i]}' is not a network in CIDR notation (e.g. 10.0.0.0/8).";
    }
}

[OptionsValidator]
public sealed partial class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>;
