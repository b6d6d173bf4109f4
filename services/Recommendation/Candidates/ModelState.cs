using System.Runtime.InteropServices;

namespace Personalization.Recommendation.Candidates;

/// <summary>
/// Writes a fitted model's state as raw little-endian arrays (a float array is its bytes, not text), so a model
/// version is compact and loads without parsing. <see cref="ModelStateReader"/> reads it back in the same order.
/// </summary>
public sealed class ModelStateWriter(Stream stream) : IDisposable
{
    private readonly BinaryWriter _writer = new(stream, System.Text.Encoding.UTF8, leaveOpen: true);

    public void Write(int value) => _writer.Write(value);
    public void Write(string value) => _writer.Write(value);
    public void Write(int[] values) => WriteSpan<int>(values);
    public void Write(float[] values) => WriteSpan<float>(values);

    public void Write(IReadOnlyList<string?> values)
    {
        _writer.Write(values.Count);
        foreach (var value in values)
        {
            _writer.Write(value is not null);
            if (value is not null) _writer.Write(value);
        }
    }

    public void Write(byte[] bytes)
    {
        _writer.Write(bytes.Length);
        _writer.Write(bytes);
    }

    private void WriteSpan<T>(ReadOnlySpan<T> values) where T : struct
    {
        _writer.Write(values.Length);
        _writer.Write(MemoryMarshal.AsBytes(values));
    }

    public void Dispose() => _writer.Dispose();
}

/// <summary>Reads what <see cref="ModelStateWriter"/> wrote; a truncated or foreign stream fails with <see cref="InvalidDataException"/>.</summary>
public sealed class ModelStateReader(Stream stream) : IDisposable
{
    private readonly BinaryReader _reader = new(stream, System.Text.Encoding.UTF8, leaveOpen: true);

    public int ReadInt() => Guard(_reader.ReadInt32);
    public string ReadString() => Guard(_reader.ReadString);
    public int[] ReadInts() => ReadArray<int>();
    public float[] ReadFloats() => ReadArray<float>();
    public byte[] ReadBytes() => ReadArray<byte>();

    public string?[] ReadStrings()
    {
        var values = new string?[Length()];
        for (var n = 0; n < values.Length; n++) values[n] = Guard(_reader.ReadBoolean) ? ReadString() : null;
        return values;
    }

    private T[] ReadArray<T>() where T : struct
    {
        var values = new T[Length()];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (_reader.BaseStream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) != bytes.Length)
            throw new InvalidDataException("the model state ends early");
        return values;
    }

    private int Length()
    {
        var length = ReadInt();
        return length >= 0 ? length : throw new InvalidDataException($"the model state holds a negative length ({length})");
    }

    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("the model state ends early");
        }
    }

    public void Dispose() => _reader.Dispose();
}
