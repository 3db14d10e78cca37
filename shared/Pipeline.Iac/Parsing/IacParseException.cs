namespace Pipeline.Iac.Parsing;

/// <summary>A syntax error or a bound exceeded while reading one file; the scanner reports it at its line and goes on.</summary>
internal sealed class IacParseException : Exception
{
    public IacParseException(string message, int line)
        : base(message)
    {
        Line = line;
    }

    public IacParseException()
    {
    }

    public IacParseException(string message)
        : base(message)
    {
    }

    public IacParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Line { get; }
}
