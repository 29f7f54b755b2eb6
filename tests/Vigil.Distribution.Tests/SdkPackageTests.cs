using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Vigil.Distribution.Tests.Infrastructure;

namespace Vigil.Distribution.Tests;

/// <summary>
/// dotnet pack of the three SDK projects: Vigil.Sdk pulls neither the OpenAI nor the Anthropic library; each provider
/// package brings its own; every package carries its README, XML docs and a deterministic assembly with its PDB.
/// </summary>
public sealed class SdkPackageTests : IClassFixture<SdkPackageTests.Packages>
{
    private readonly Packages _packages;

    public SdkPackageTests(Packages packages) => _packages = packages;

    /// <summary>The three packages, packed once from this build (no rebuild) into a scratch folder.</summary>
    public sealed class Packages : IAsyncLifetime
    {
        private readonly TempDir _dir = new();
        public Dictionary<string, string> Paths { get; } = [];

        public async ValueTask InitializeAsync()
        {
            foreach (var project in new[] { "Vigil.Sdk", "Vigil.Sdk.OpenAI", "Vigil.Sdk.Anthropic" })
            {
                await Cli.DotnetAsync(Repo.Root, "pack", $"{project}/{project}.csproj", "-c", Repo.Configuration, "--no-build", "-o", _dir.Path);
                Paths[project] = Directory.GetFiles(_dir.Path, $"{project}.*.nupkg").Single(p => System.Text.RegularExpressions.Regex.IsMatch(
                    Path.GetFileName(p), $@"^{System.Text.RegularExpressions.Regex.Escape(project)}\.\d"));
            }
        }

        public ValueTask DisposeAsync()
        {
            _dir.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private static XElement Nuspec(ZipArchive package)
    {
        var entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        return XDocument.Load(stream).Root!;
    }

    private static List<string> Dependencies(XElement nuspec) =>
        nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToList();

    [Fact]
    public void Vigil_Sdk_depends_on_neither_OpenAI_nor_Anthropic()
    {
        using var package = ZipFile.OpenRead(_packages.Paths["Vigil.Sdk"]);
        var dependencies = Dependencies(Nuspec(package));
        Assert.Contains("Microsoft.Extensions.AI", dependencies);
        Assert.DoesNotContain(dependencies, d => d.StartsWith("OpenAI", StringComparison.OrdinalIgnoreCase)
            || d.StartsWith("Anthropic", StringComparison.OrdinalIgnoreCase) || d.Contains(".OpenAI", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Vigil.Sdk.OpenAI", "OpenAI", "Anthropic")]
    [InlineData("Vigil.Sdk.Anthropic", "Anthropic", "OpenAI")]
    public void Each_provider_package_brings_its_own_library_and_the_same_version_of_Vigil_Sdk(string id, string library, string other)
    {
        using var package = ZipFile.OpenRead(_packages.Paths[id]);
        var nuspec = Nuspec(package);
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
        Assert.Equal(new[] { "Vigil.Sdk", library }.Order(StringComparer.Ordinal), dependencies.Keys.Order(StringComparer.Ordinal));
        var version = nuspec.Descendants().Single(e => e.Name.LocalName == "version").Value;
        Assert.Equal(version, dependencies["Vigil.Sdk"]);
        Assert.DoesNotContain(dependencies.Keys, d => d.StartsWith(other, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Vigil.Sdk")]
    [InlineData("Vigil.Sdk.OpenAI")]
    [InlineData("Vigil.Sdk.Anthropic")]
    public void Each_package_has_its_readme_xml_docs_and_a_deterministic_assembly_with_an_embedded_pdb(string id)
    {
        using var package = ZipFile.OpenRead(_packages.Paths[id]);
        var nuspec = Nuspec(package);
        Assert.Equal("README.md", nuspec.Descendants().Single(e => e.Name.LocalName == "readme").Value);
        Assert.Contains(package.Entries, e => e.FullName == "README.md" && e.Length > 200);
        Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{id}.xml" && e.Length > 1000);
        // The commit the package was built from (SourceLink maps it to sources when the repository has a remote).
        Assert.Matches("^[0-9a-f]{40}$", (string?)nuspec.Descendants().Single(e => e.Name.LocalName == "repository").Attribute("commit"));

        using var dll = new MemoryStream();
        using (var s = package.GetEntry($"lib/net10.0/{id}.dll")!.Open()) s.CopyTo(dll);
        dll.Position = 0;
        using var pe = new PEReader(dll);
        var debug = pe.ReadDebugDirectory();
        Assert.Contains(debug, d => d.Type == DebugDirectoryEntryType.Reproducible);
        var embedded = debug.Single(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        using var pdb = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        var reader = pdb.GetMetadataReader();
        if (Repo.Configuration == "Release")
            // Deterministic source paths: no build machine's folders in the PDB.
            Assert.All(reader.Documents, d => Assert.StartsWith("/_/", reader.GetString(reader.GetDocument(d).Name)));
    }

    [Fact]
    public async Task SourceLink_maps_the_sources_to_the_repository_at_the_commit()
    {
        // This checkout may have no git remote: name one, as the pack property documents, and build Vigil.Sdk aside.
        using var dir = new TempDir();
        await Cli.DotnetAsync(Repo.Root, "build", "Vigil.Sdk/Vigil.Sdk.csproj", "-c", "Release", "--no-restore",
            "-p:VigilRepositoryUrl=https://github.com/example/vigil", "-o", dir.Sub("bin"), $"-p:IntermediateOutputPath={dir.Sub("obj")}/");
        using var pe = new PEReader(File.OpenRead(Path.Combine(dir.Path, "bin", "Vigil.Sdk.dll")));
        using var pdb = pe.ReadEmbeddedPortablePdbDebugDirectoryData(pe.ReadDebugDirectory().Single(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb));
        var reader = pdb.GetMetadataReader();
        var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        var json = reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition).Select(reader.GetCustomDebugInformation)
            .Where(c => reader.GetGuid(c.Kind) == sourceLinkKind).Select(c => System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(c.Value))).Single();
        Assert.Matches("""https://raw\.githubusercontent\.com/example/vigil/[0-9a-f]{40}/\*""", json);
    }
}
