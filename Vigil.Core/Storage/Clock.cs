namespace Vigil.Core.Storage;

/// <summary>Timestamps are stored as Unix microseconds (UTC) so that range filters and ordering run in SQL on every provider.</summary>
public static class UnixMicros
{
    public static long From(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / 10;

    public static DateTime ToDateTime(long micros) => new(DateTimeOffset.UnixEpoch.Ticks + micros * 10, DateTimeKind.Utc);

    public static DateTime? ToDateTime(long? micros) => micros is { } m ? ToDateTime(m) : null;

    public static long Now(TimeProvider time) => From(time.GetUtcNow());
}
