using Vigil.Core.Sessions;
using Vigil.Core.Storage;
using Vigil.Web.Traces;

namespace Vigil.Web.Sessions;

/// <summary>A session with its rollups; <see cref="Traces"/> only in the detail (oldest first).</summary>
public sealed record SessionDto(
    string SessionId, IReadOnlyList<string> UserIds, int TraceCount, DateTime FirstTime, DateTime LastTime, double DurationMs,
    long InputTokens, long OutputTokens, long TotalTokens, double CostUsd, int ErrorCount, IReadOnlyList<TraceDto>? Traces = null)
{
    public static SessionDto From(SessionSummary s) => From(s.Session, s.UserIds);

    public static SessionDto From(SessionRecord s, IReadOnlyList<string> userIds, IReadOnlyList<TraceDto>? traces = null) => new(
        s.SessionId, userIds, s.TraceCount, UnixMicros.ToDateTime(s.FirstTimeUs), UnixMicros.ToDateTime(s.LastTimeUs),
        (s.LastTimeUs - s.FirstTimeUs) / 1000.0, s.InputTokens, s.OutputTokens, s.TotalTokens, s.CostUsd, s.ErrorCount, traces);
}

public sealed record SessionListResponse(IReadOnlyList<SessionDto> Sessions, int Total, int Offset, int Limit);

/// <summary>An end user with rollups; <see cref="Sessions"/> (most recent first) only in the detail.</summary>
public sealed record EndUserDto(
    string UserId, int SessionCount, int TraceCount, DateTime FirstSeen, DateTime LastSeen,
    long InputTokens, long OutputTokens, long TotalTokens, double CostUsd, int ErrorCount, double ErrorRate,
    IReadOnlyList<SessionDto>? Sessions = null)
{
    public static EndUserDto From(EndUserRecord u, IReadOnlyList<SessionDto>? sessions = null) => new(
        u.UserId, u.SessionCount, u.TraceCount, UnixMicros.ToDateTime(u.FirstTimeUs), UnixMicros.ToDateTime(u.LastTimeUs),
        u.InputTokens, u.OutputTokens, u.TotalTokens, u.CostUsd, u.ErrorTraceCount,
        u.TraceCount == 0 ? 0 : (double)u.ErrorTraceCount / u.TraceCount, sessions);
}

public sealed record EndUserListResponse(IReadOnlyList<EndUserDto> Users, int Total, int Offset, int Limit);
