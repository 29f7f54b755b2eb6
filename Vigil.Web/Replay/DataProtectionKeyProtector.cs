using Microsoft.AspNetCore.DataProtection;
using Vigil.Core.Replay;

namespace Vigil.Web.Replay;

/// <summary>Provider keys encrypted with ASP.NET Core Data Protection under their own purpose string.</summary>
public sealed class DataProtectionKeyProtector(IDataProtectionProvider provider) : IProviderKeyProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Vigil.Replay.ProviderKeys.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
