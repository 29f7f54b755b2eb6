using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Vigil.Core.Drift;

/// <summary>Server-wide drift defaults, bound from <c>Vigil:Drift</c>. A project's own settings override them.</summary>
public sealed class DriftOptions : IValidatableObject
{
    public const string Section = "Vigil:Drift";

    /// <summary>Runs the background scheduler. <c>POST /v1/drift/run</c> works either way.</summary>
    public bool Enabled { get; set; } = true;

    [Range(1, 7 * 24 * 60)]
    public int IntervalMinutes { get; set; } = 60;

    [Range(1, 90 * 24)]
    public int BaselineHours { get; set; } = 24;

    [Range(1, 30 * 24)]
    public int CurrentHours { get; set; } = 1;

    [Range(2, 1_000_000)]
    public int MinBaselineSamples { get; set; } = 10;

    [Range(1, 1_000_000)]
    public int MinCurrentSamples { get; set; } = 5;

    public DriftBinning Binning { get; set; } = DriftBinning.Quantile;

    public DriftGroupBy GroupBy { get; set; } = DriftGroupBy.Kind;

    [Range(2, 100)]
    public int Bins { get; set; } = 10;

    /// <summary>
    /// Quantile binning uses at most (current samples / this) bins, at least 2, at most <see cref="Bins"/>. PSI's sampling
    /// noise grows with bins/samples (about (bins − 1)·(1/n_baseline + 1/n_current) for identical distributions), and an empty
    /// bin adds ~0.7 through the 1e-4 epsilon, so 10 bins over 5–100 current spans raise alerts on pure noise. 0 = always <see cref="Bins"/>.
    /// Equal-width binning keeps the original server's fixed bins.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MinSamplesPerBin { get; set; } = 20;

    /// <summary>
    /// Threads one run reads the windows (in time slices, each on its own read-only SQLite connection) and computes PSI with.
    /// 0 = one per core, at most 4. 1 keeps a run on one core, for a machine where other work must come first.
    /// </summary>
    [Range(0, 64)]
    public int ReadParallelism { get; set; }

    /// <summary>How often the scheduler wakes to see which projects are due; a project runs on its own interval.</summary>
    [Range(1, 60)]
    public int SchedulerTickMinutes { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Binning)) yield return new ValidationResult($"{Section}:Binning must be Quantile or EqualWidth", [nameof(Binning)]);
        if (!Enum.IsDefined(GroupBy)) yield return new ValidationResult($"{Section}:GroupBy must be Kind, KindName or KindModel", [nameof(GroupBy)]);
    }
}

[OptionsValidator]
public sealed partial class DriftOptionsValidator : IValidateOptions<DriftOptions>;
