using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Vigil.Sdk.Tracing;

/// <summary>
/// Decorator form of tracing: wraps an implementation so that interface methods marked with
/// <see cref="TraceAttribute"/> or <see cref="SpanAttribute"/> run in a trace or span. Handles sync methods,
/// <see cref="Task"/>, <see cref="Task{TResult}"/>, <see cref="ValueTask"/> and <see cref="ValueTask{TResult}"/>.
/// </summary>
public static class VigilProxy
{
    public static TInterface Create<TInterface>(TInterface implementation, VigilClient client) where TInterface : class
    {
        ArgumentNullException.ThrowIfNull(implementation);
        ArgumentNullException.ThrowIfNull(client);
        var proxy = DispatchProxy.Create<TInterface, VigilDispatchProxy<TInterface>>();
        ((VigilDispatchProxy<TInterface>)(object)proxy).Initialize(implementation, client);
        return proxy;
    }
}

/// <summary>Not for direct use: the <see cref="DispatchProxy"/> behind <see cref="VigilProxy.Create"/>.</summary>
public class VigilDispatchProxy<TInterface> : DispatchProxy where TInterface : class
{
    private TInterface _target = null!;
    private VigilClient _client = null!;
    // Per proxy instance (no static caches): method -> how to wrap it.
    private readonly ConcurrentDictionary<MethodInfo, Plan> _plans = new();

    internal void Initialize(TInterface target, VigilClient client)
    {
        _target = target;
        _client = client;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var plan = _plans.GetOrAdd(targetMethod, BuildPlan);
        if (plan.Mode == Mode.None)
        {
            return Call(targetMethod, args);
        }
        return plan.Returns switch
        {
            Returns.Task => WrapTask(plan, targetMethod, args),
            Returns.ValueTask => WrapValueTask(plan, targetMethod, args),
            Returns.TaskOfT or Returns.ValueTaskOfT => plan.GenericWrapper!(plan, targetMethod, args),
            _ => WrapSync(plan, targetMethod, args),
        };
    }

    private object? WrapSync(Plan plan, MethodInfo method, object?[]? args)
    {
        var span = Begin(plan, args);
        try
        {
            var result = Call(method, args);
            if (plan.Capture && method.ReturnType != typeof(void)) span.SetOutput(result);
            return result;
        }
        catch (Exception e)
        {
            span.RecordException(e);
            throw;
        }
        finally
        {
            span.End();
        }
    }

    // The async wrappers start the span inside their own async frame, so the ambient span they set
    // does not leak into the caller's flow.
    private async Task WrapTask(Plan plan, MethodInfo method, object?[]? args)
    {
        using var span = Begin(plan, args);
        try
        {
            await ((Task)Call(method, args)!).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            span.RecordException(e);
            throw;
        }
    }

    private async ValueTask WrapValueTask(Plan plan, MethodInfo method, object?[]? args)
    {
        using var span = Begin(plan, args);
        try
        {
            await ((ValueTask)Call(method, args)!).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            span.RecordException(e);
            throw;
        }
    }

    private async Task<T> WrapTaskOf<T>(Plan plan, MethodInfo method, object?[]? args)
    {
        using var span = Begin(plan, args);
        try
        {
            var result = await ((Task<T>)Call(method, args)!).ConfigureAwait(false);
            if (plan.Capture) span.SetOutput(result);
            return result;
        }
        catch (Exception e)
        {
            span.RecordException(e);
            throw;
        }
    }

    private async ValueTask<T> WrapValueTaskOf<T>(Plan plan, MethodInfo method, object?[]? args)
    {
        using var span = Begin(plan, args);
        try
        {
            var result = await ((ValueTask<T>)Call(method, args)!).ConfigureAwait(false);
            if (plan.Capture) span.SetOutput(result);
            return result;
        }
        catch (Exception e)
        {
            span.RecordException(e);
            throw;
        }
    }

    private object BoxTaskOf<T>(Plan plan, MethodInfo method, object?[]? args) => WrapTaskOf<T>(plan, method, args);
    private object BoxValueTaskOf<T>(Plan plan, MethodInfo method, object?[]? args) => WrapValueTaskOf<T>(plan, method, args);

    private VigilSpan Begin(Plan plan, object?[]? args)
    {
        var input = plan.Capture ? CaptureArguments(plan.Parameters, args) : null;
        return plan.Mode == Mode.Trace
            ? _client.StartTrace(plan.Name, input: input).Root!
            : _client.StartSpan(plan.Name, plan.Kind, input);
    }

    private static Dictionary<string, object?>? CaptureArguments(ParameterInfo[] parameters, object?[]? args)
    {
        if (args is null || args.Length == 0) return null;
        var input = new Dictionary<string, object?>(args.Length);
        for (var i = 0; i < args.Length && i < parameters.Length; i++)
        {
            if (args[i] is CancellationToken) continue;
            input[parameters[i].Name ?? $"arg{i}"] = args[i];
        }
        return input;
    }

    private object? Call(MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(_target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private Plan BuildPlan(MethodInfo method)
    {
        var trace = method.GetCustomAttribute<TraceAttribute>();
        var span = method.GetCustomAttribute<SpanAttribute>();
        var plan = new Plan
        {
            Mode = trace is not null ? Mode.Trace : span is not null ? Mode.Span : Mode.None,
            Name = trace?.Name ?? span?.Name ?? method.Name,
            Kind = span?.Kind ?? SpanKind.Chain,
            Capture = trace?.Capture ?? span?.Capture ?? false,
            Parameters = method.GetParameters(),
        };
        var type = method.ReturnType;
        if (type == typeof(Task)) plan.Returns = Returns.Task;
        else if (type == typeof(ValueTask)) plan.Returns = Returns.ValueTask;
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            plan.Returns = Returns.TaskOfT;
            plan.GenericWrapper = MakeWrapper(nameof(BoxTaskOf), type.GetGenericArguments()[0]);
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            plan.Returns = Returns.ValueTaskOfT;
            plan.GenericWrapper = MakeWrapper(nameof(BoxValueTaskOf), type.GetGenericArguments()[0]);
        }
        return plan;
    }

    private Func<Plan, MethodInfo, object?[]?, object> MakeWrapper(string name, Type resultType)
    {
        var open = typeof(VigilDispatchProxy<TInterface>).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Instance)!;
        return open.MakeGenericMethod(resultType).CreateDelegate<Func<Plan, MethodInfo, object?[]?, object>>(this);
    }

    private enum Mode { None, Trace, Span }
    private enum Returns { Sync, Task, TaskOfT, ValueTask, ValueTaskOfT }

    private sealed class Plan
    {
        public Mode Mode;
        public string Name = "";
        public SpanKind Kind;
        public bool Capture;
        public Returns Returns;
        public ParameterInfo[] Parameters = [];
        public Func<Plan, MethodInfo, object?[]?, object>? GenericWrapper;
    }
}
