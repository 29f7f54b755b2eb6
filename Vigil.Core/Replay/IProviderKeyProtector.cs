namespace Vigil.Core.Replay;

/// <summary>
/// Encrypts provider API keys at rest. The host implements it (ASP.NET Core Data Protection); Core never sees the
/// algorithm or key ring, only ciphertext in <see cref="Projects.Project"/>.
/// </summary>
public interface IProviderKeyProtector
{
    string Protect(string plaintext);
    string Unprotect(string protectedText);
}
