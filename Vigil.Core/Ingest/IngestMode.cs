namespace Vigil.Core.Ingest;

public enum IngestMode
{
    /// <summary>Any invalid span rejects the whole batch (native format).</summary>
    AllOrNothing,
    /// <summary>Invalid spans are dropped and counted, the valid ones kept (OTLP partial success).</summary>
    DropInvalid,
}
