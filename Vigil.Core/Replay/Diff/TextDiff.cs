using DiffPlex;
using DiffPlex.Chunkers;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Vigil.Core.Replay.Diff;

/// <summary>Word-level diff of two texts. Concatenating equal+delete segments gives the old text, equal+insert the new one.</summary>
public static class TextDiff
{
    public static List<DiffSegment> Words(string? oldText, string? newText)
    {
        oldText ??= "";
        newText ??= "";
        var segments = new List<DiffSegment>();
        if (oldText.Length == 0 && newText.Length == 0) return segments;
        var model = InlineDiffBuilder.Diff(oldText, newText, ignoreWhiteSpace: false, ignoreCase: false, chunker: WordChunker.Instance);
        foreach (var piece in model.Lines)
        {
            var op = piece.Type switch
            {
                ChangeType.Inserted => DiffSegment.Insert,
                ChangeType.Deleted => DiffSegment.Delete,
                _ => DiffSegment.Equal,
            };
            // The builder yields one piece per word: merge runs of the same kind so the UI renders few spans.
            if (segments.Count > 0 && segments[^1].Op == op) segments[^1] = segments[^1] with { Text = segments[^1].Text + piece.Text };
            else segments.Add(new DiffSegment(op, piece.Text));
        }
        return segments;
    }
}
