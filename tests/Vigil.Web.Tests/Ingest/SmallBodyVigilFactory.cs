using Vigil.Web.Tests.Infrastructure;

namespace Vigil.Web.Tests.Ingest;

/// <summary>A host with a 4 KiB body limit, to test that the limit applies to the decompressed size.</summary>
public sealed class SmallBodyVigilFactory : VigilWebFactory
{
    public SmallBodyVigilFactory() => With("Vigil:Ingest:MaxBodyBytes", "4096");
}
