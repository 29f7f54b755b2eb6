using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Vigil.Core.Tests.Traces;

/// <summary>EF's diagnostic events (process-wide, so filtered to one database): each command's text and arguments.</summary>
internal sealed class CommandCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly Func<DbConnection, bool> _ours;
    private readonly List<(string, (string, object)[])> _commands;
    private readonly List<IDisposable> _subscriptions = [];
    private bool _stopped;

    public CommandCapture(Func<DbConnection, bool> ours, List<(string, (string, object)[])> commands)
    {
        _ours = ours;
        _commands = commands;
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name) lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> e)
    {
        if (e.Key != RelationalEventId.CommandExecuting.Name || e.Value is not CommandEventData d || d.Command.Connection is not { } c || !_ours(c)) return;
        var args = d.Command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value ?? DBNull.Value)).ToArray();
        lock (_commands) if (!_stopped) _commands.Add((d.Command.CommandText, args));
    }

    public void OnCompleted() { }
    public void OnError(Exception error) { }

    public void Dispose()
    {
        lock (_commands) _stopped = true;
        lock (_subscriptions) foreach (var s in _subscriptions) s.Dispose();
        _subscriptions.Clear();
    }
}
