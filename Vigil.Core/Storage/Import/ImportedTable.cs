namespace Vigil.Core.Storage.Import;

/// <summary>How many rows of one table an import copied.</summary>
public sealed record ImportedTable(string Table, long Rows);
