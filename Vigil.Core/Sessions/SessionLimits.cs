namespace Vigil.Core.Sessions;

public static class SessionLimits
{
    /// <summary>session_id and user_id: at most this many characters.</summary>
    public const int MaxIdLength = 256;

    /// <summary>What is wrong with a session or user id (null when fine): not empty, at most <see cref="MaxIdLength"/> characters.</summary>
    public static string? Problem(string? value) => value switch
    {
        null => null,
        { Length: 0 } => "must not be empty (send null or leave it out)",
        { Length: > MaxIdLength } => $"is {value.Length} characters; the limit is {MaxIdLength}",
        _ => null,
    };
}
