using DiffPlex.Chunkers;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Vigil.Core.Replay.Diff;

/// <summary>
/// Word-level diff of two texts. Concatenating equal+delete segments gives the old text, equal+insert the new one.
/// Within each changed stretch all deleted words come first, then all inserted ones, so a rewritten sentence reads
/// as "old sentence → new sentence" instead of alternating word by word.
/// </summary>
public static class TextDiff
{
    public static List<DiffSegment> Words(string? oldText, string? newText)
    {
        oldText ??= "";
        newText ??= "";
        if (oldText.Length == 0 && newText.Length == 0) return [];
        var model = InlineDiffBuilder.Diff(oldText, newText, ignoreWhiteSpace: false, ignoreCase: false, chunker: WordChunker.Instance);
        var pieces = model.Lines.Select(p => (Op: p.Type switch
        {
            ChangeType.Inserted => DiffSegment.Insert,
            ChangeType.Deleted => DiffSegment.Delete,
            _ => DiffSegment.Equal,
        }, p.Text)).ToList();

        var segments = new List<DiffSegment>();
        var i = 0;
        while (i < pieces.Count)
        {
            if (pieces[i].Op == DiffSegment.Equal)
            {
                Append(segments, DiffSegment.Equal, pieces[i].Text);
                i++;
                continue;
            }
            // A changed stretch: non-equal pieces, plus whitespace-only equal pieces that sit between two changes
            // (they belong to both sides, so they go to both the deleted and the inserted text).
            string deleted = "", inserted = "";
            while (i < pieces.Count)
            {
                var (op, text) = pieces[i];
                if (op == DiffSegment.Delete) deleted += text;
                else if (op == DiffSegment.Insert) inserted += text;
                else if (string.IsNullOrWhiteSpace(text) && i + 1 < pieces.Count && pieces[i + 1].Op != DiffSegment.Equal)
                {
                    deleted += text;
                    inserted += text;
                }
                else break;
                i++;
            }
            Append(segments, DiffSegment.Delete, deleted);
            Append(segments, DiffSegment.Insert, inserted);
        }
        return segments;
    }

    private static void Append(List<DiffSegment> segments, string op, string text)
    {
        if (text.Length == 0) return;
        if (segments.Count > 0 && segments[^1].Op == op) segments[^1] = segments[^1] with { Text = segments[^1].Text + text };
        else segments.Add(new DiffSegment(op, text));
    }
}
