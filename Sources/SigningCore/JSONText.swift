/// Minimal JSON text building, with fields kept in the order given (for byte-stable output:
/// CLI results, request bodies, JWT claims).
public enum JSONText {
    /// A JSON string literal for `value`.
    public static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A JSON object with fields in the order given (values are JSON text already).
    public static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A JSON array of values that are JSON text already.
    public static func array(_ values: [String]) -> String { "[" + values.joined(separator: ",") + "]" }
}
