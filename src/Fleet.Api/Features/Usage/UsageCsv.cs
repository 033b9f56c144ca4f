using System.Text;
using Fleet.Api.Features.Vehicles;

namespace Fleet.Api.Features.Usage;

/// <summary>One line of a usage file: its cells by column (0-based), or what makes it unreadable and in which column.</summary>
public sealed record UsageLine(int Row, Dictionary<int, SheetCell> Cells, int ProblemColumn = -1, CodedText? Problem = null);

/// <summary>
/// A usage file's CSV, read as a stream one line at a time. Fields are separated by commas and may be quoted (a quote
/// inside doubled), so that they can hold commas; a record is one line (decision record 009): a quote still open at
/// the line's end, or text after a closing quote, makes that line a row error naming it, and the next line is read as
/// the next row. An RFC 4180 reader would take the following lines into the open field, and the rows after it would
/// silently become parts of one (1 of 1,000 lines imported, 499 counted as duplicates).
/// </summary>
public static class UsageCsv
{
    private const int MaxField = 10_000;
    private const int MaxColumns = 100;

    public static IEnumerable<UsageLine> Lines(Stream file, Encoding encoding, UsageLimits limits)
    {
        using var reader = new StreamReader(file, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
        var buffer = new char[1 << 16];
        var line = new Line(limits);
        bool first = true, pendingCr = false;
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                var c = buffer[i];
                if (first)
                {
                    first = false;
                    if (c == '\uFEFF') continue;
                }
                if (c == '\0') throw new WorkbookRefused("Usage.NotAFile");
                if (pendingCr)
                {
                    pendingCr = false;
                    if (c == '\n') continue;
                }
                if (c is '\r' or '\n')
                {
                    pendingCr = c == '\r';
                    yield return line.End();
                    continue;
                }
                if (!line.Quoted) line.Take(c);
                // A quote in a quoted field is doubled; a single one ends the field's quoted part.
                else if (c != '"') line.Append(c);
                else if (i + 1 < n ? buffer[i + 1] == '"' : reader.Peek() == '"')
                {
                    line.Append('"');
                    if (i + 1 < n) i++;
                    else reader.Read();
                }
                else line.CloseQuote();
            }
        }
        if (!line.IsEmpty) yield return line.End();
    }

    /// <summary>The line being read: its cells so far, the field being read, and whether that is inside quotes.</summary>
    private sealed class Line(UsageLimits limits)
    {
        private int row = 1;
        private Dictionary<int, SheetCell> cells = [];
        private readonly StringBuilder text = new();
        private bool afterQuote;
        private (int Column, CodedText Message)? problem;

        public bool Quoted { get; private set; }

        public bool IsEmpty => !Quoted && text.Length == 0 && cells.Count == 0;

        /// <summary>A character outside quotes.</summary>
        public void Take(char c)
        {
            if (c == ',') { EndField(); return; }
            if (afterQuote) problem ??= (cells.Count, new CodedText("Usage.TextAfterQuote"));
            else if (c == '"' && text.Length == 0) { Quoted = true; return; }
            Append(c);
        }

        public void Append(char c)
        {
            if (text.Length >= MaxField) throw new WorkbookRefused("Usage.FieldTooLong", ("row", row), ("max", MaxField.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)));
            text.Append(c);
        }

        public void CloseQuote() => (Quoted, afterQuote) = (false, true);

        public UsageLine End()
        {
            if (Quoted) problem ??= (cells.Count, new CodedText("Usage.QuoteOpen"));
            Quoted = false;
            EndField();
            if (row > limits.MaxRows + 1) throw new WorkbookRefused("Usage.TooManyRows", ("max", limits.MaxRows));
            var line = new UsageLine(row++, cells, problem?.Column ?? -1, problem?.Message);
            cells = [];
            problem = null;
            return line;
        }

        private void EndField()
        {
            if (cells.Count >= MaxColumns) throw new WorkbookRefused("Usage.TooManyColumns", ("row", row), ("max", MaxColumns));
            cells[cells.Count] = new SheetCell(CellKind.Text, text.ToString(), 0);
            text.Clear();
            afterQuote = false;
        }
    }
}
