using Grpc.Core;
using Vigil.Core.Ingest.Otlp;
using Vigil.Web.Auth;

namespace Vigil.Web.Ingest.Grpc;

/// <summary>
/// What the two OTLP/gRPC services share with OTLP/HTTP: the concurrency gate (UNAVAILABLE, which exporters retry, when
/// full), the key's project, and the outcome turned into a gRPC status (INVALID_ARGUMENT, PERMISSION_DENIED).
/// </summary>
internal static class OtlpGrpcCall
{
    public static async Task<TResponse> ExportAsync<TResponse>(
        ServerCallContext context, IngestLimiter gate, Func<string, CancellationToken, Task<OtlpExportResult>> export, Func<OtlpExportResult, TResponse> answer)
    {
        using var lease = gate.TryEnter()
            ?? throw new RpcException(new Status(StatusCode.Unavailable,
                $"The server is handling {gate.Limit} ingest requests already; retry shortly (Vigil:Ingest:MaxConcurrentRequests)."));
        var projectId = context.GetHttpContext().User.GetProjectId();
        var result = await export(projectId, context.CancellationToken);
        return result.Outcome switch
        {
            OtlpExportOutcome.Unavailable => throw new RpcException(new Status(StatusCode.Unavailable, result.Message ?? "The database cannot take writes now; retry later.")),
            OtlpExportOutcome.Forbidden => throw new RpcException(new Status(StatusCode.PermissionDenied, result.Message ?? "Another project's data.")),
            OtlpExportOutcome.Invalid => throw new RpcException(new Status(StatusCode.InvalidArgument,
                result.Limit is null ? result.Message ?? "The request is invalid." : $"{result.Message} ({result.Limit})")),
            _ => answer(result),
        };
    }
}
