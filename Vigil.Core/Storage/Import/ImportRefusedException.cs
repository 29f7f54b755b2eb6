namespace Vigil.Core.Storage.Import;

/// <summary>The import did not start: the target is not one it may fill (the message says why).</summary>
public sealed class ImportRefusedException(string message) : Exception(message);
