using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Api.Infrastructure;

/// <summary>
/// An enum value is one of its names, spelled as declared, and nothing else. .NET's own parsing also takes numbers
/// ("3"), other cases and comma-joined names, which it ORs together as flags: "Admin, Inspector" becomes Inspector and
/// "PrivateUse, OffSiteParking" a value no name has, which poisons every later read of the record.
/// </summary>
public static class EnumNames
{
    private static readonly ConcurrentDictionary<Type, FrozenDictionary<string, object>> Names = new();

    private static FrozenDictionary<string, object> Of(Type type) =>
        Names.GetOrAdd(type, t => Enum.GetNames(t).ToFrozenDictionary(n => n, n => Enum.Parse(t, n), StringComparer.Ordinal));

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        if (text is not null && Of(typeof(T)).TryGetValue(text, out var found)) { value = (T)found; return true; }
        value = default;
        return false;
    }

    public static bool TryParse(Type type, string? text, out object? value)
    {
        value = null;
        return text is not null && Of(type).TryGetValue(text, out value);
    }

    /// <summary>The enum a parameter or property of this type takes, if any (nullable included).</summary>
    public static Type? EnumOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } e ? e : null;

    /// <summary>"Use one of: A, B, C." — the refusal every reader of an enum gives (Request.UseOneOf).</summary>
    public static CodedText UseOneOf(Type type) => new("Request.UseOneOf", ("choices", new NamesOf(type)));
}

/// <summary>JSON enums by name only: a number, another case or a comma-joined list is a JsonException (a 400 naming the field).</summary>
public sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert));

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // Names are short: a long string is refused before it is turned into a .NET string.
            if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= 384 &&
                EnumNames.TryParse<T>(reader.GetString(), out var value))
                return value;
            throw new JsonException(EnumNames.UseOneOf(typeof(T)).English);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            EnumNames.TryParse<T>(reader.GetString(), out var value) ? value : throw new JsonException(EnumNames.UseOneOf(typeof(T)).English);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(value.ToString());
    }
}
