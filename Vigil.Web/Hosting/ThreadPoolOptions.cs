using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vigil.Web.Hosting;

/// <summary>
/// Bound from <c>Vigil:ThreadPool</c>. SQLite's calls block the thread that makes them (Microsoft.Data.Sqlite's async
/// methods run synchronously), so the ingest writer, its checkpointer, the index merger and every dashboard read each hold a
/// pool thread while they run. The pool starts with one thread per core and adds about one a second when they are all
/// busy: on 2 cores the first seconds of heavy ingest waited ~1.5 s for threads (the soak's first half-minute, 503s
/// from the ingest limit). Starting with more threads costs a little memory each and nothing while they sleep.
/// </summary>
public sealed class ThreadPoolOptions
{
    public const string Section = "Vigil:ThreadPool";

    /// <summary>The pool's worker threads at start (it still adds more when they are busy). Default 32; 0 keeps .NET's (one per core).</summary>
    [Range(0, 1024)]
    public int MinWorkerThreads { get; set; } = 32;
}

[OptionsValidator]
public sealed partial class ThreadPoolOptionsValidator : IValidateOptions<ThreadPoolOptions>;
