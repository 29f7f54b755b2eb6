using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Vigil.E2E.Tests.Infrastructure;

internal static class ExpectTimeout
{
    /// <summary>
    /// Playwright's 5 s default for <c>Expect(...)</c> is shorter than a Blazor round trip takes while the whole suite
    /// (several test hosts, Chromium, PostgreSQL) shares two cores; a slow machine must not read as a failure.
    /// </summary>
#pragma warning disable CA2255 // a test assembly's one-time set-up, not a library's
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Raise() => Assertions.SetDefaultExpectTimeout(15_000);
}
