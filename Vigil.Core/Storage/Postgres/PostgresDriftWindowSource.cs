using Npgsql;
using Vigil.Core.Drift;

namespace Vigil.Core.Storage.Postgres;

/// <summary>
/// Reads the drift windows like the SQLite source: one streaming query per time slice over the typed span columns
/// (served by the (project_id, start_time_us) index), slices read on several connections at once and joined back in time
/// order (<see cref="WindowSlices"/>). An unknown kind comes back as code -1 with its text in column 7.
/// </summary>
internal sealed class PostgresDriftWindowSource(string connectionString) : IDriftWindowSource, IDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    internal static string Sql(DriftGroupBy groupBy)
    {
        var known = string.Join(", ", Vigil.Core.Traces.SpanKind.All.Select(k => $"'{k}'"));
        var groupColumn = groupBy == DriftGroupBy.Kind ? ", NULL::text" : WindowSampleReader.GroupColumn(groupBy);
        return $"""
            SELECT {string.Format(WindowSampleReader.KindCode, "-1")}, CASE WHEN status = 'error' THEN 1::int8 ELSE 0::int8 END, COALESCE(duration_ms, {WindowSampleReader.NullReal:R}),
                   COALESCE(input_tokens, {WindowSampleReader.NullInt}), COALESCE(output_tokens, {WindowSampleReader.NullInt}),
                   COALESCE(cost_usd, {WindowSampleReader.NullReal:R}){groupColumn}, CASE WHEN kind IN ({known}) THEN NULL ELSE kind END
            FROM spans WHERE project_id = @p AND start_time_us >= @from AND start_time_us < @to
            ORDER BY start_time_us, id
            """;
    }

    public Task<(Dictionary<DriftGroup, WindowSamples> Baseline, Dictionary<DriftGroup, WindowSamples> Current)> ReadWindowsAsync(
        string projectId, long baselineStartUs, long currentStartUs, long endUs, DriftGroupBy groupBy, int parallelism, CancellationToken ct) =>
        WindowSlices.ReadAsync(baselineStartUs, currentStartUs, endUs, parallelism, () => new SliceReader(_dataSource, projectId, groupBy), ct);

    private sealed class SliceReader : WindowSlices.IReader
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _command;
        private readonly DriftGroupBy _groupBy;

        public SliceReader(NpgsqlDataSource dataSource, string projectId, DriftGroupBy groupBy)
        {
            _groupBy = groupBy;
            _connection = dataSource.OpenConnection();
            _command = new NpgsqlCommand(Sql(groupBy), _connection);
            _command.Parameters.Add(new NpgsqlParameter<string>("p", projectId));
            _command.Parameters.Add(new NpgsqlParameter<long>("from", 0L));
            _command.Parameters.Add(new NpgsqlParameter<long>("to", 0L));
        }

        public Dictionary<DriftGroup, WindowSamples> Read(long fromUs, long toUs, CancellationToken ct)
        {
            ((NpgsqlParameter<long>)_command.Parameters[1]).TypedValue = fromUs;
            ((NpgsqlParameter<long>)_command.Parameters[2]).TypedValue = toUs;
            using var reader = _command.ExecuteReader();
            return WindowSampleReader.Read(new Rows(reader), _groupBy, ct);
        }

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }

    private readonly struct Rows(NpgsqlDataReader reader) : WindowSampleReader.IRows
    {
        public bool Next() => reader.Read();
        public bool IsText(int i) => i == 0 && reader.GetInt32(0) < 0;
        public long Int64(int i) => i == 0 ? reader.GetInt32(0) : reader.GetInt64(i);
        public double Double(int i) => reader.GetDouble(i);
        public string? String(int i) => reader.IsDBNull(i == 0 ? 7 : i) ? null : reader.GetString(i == 0 ? 7 : i);
    }

    public void Dispose() => _dataSource.Dispose();
}
