/// Durations as users type them: plain seconds (`3600`) or a number with a unit
/// `ms`, `s`, `m`, `h` or `d` (`250ms`, `90s`, `15m`, `12h`, `7d`).
public struct DurationText: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in milliseconds (never negative).
    public let milliseconds: Int64

    /// Creates a duration of `milliseconds`.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Creates a duration of whole `seconds`.
    public init(seconds: Int64) { self.milliseconds = seconds * 1000 }

    /// Whole seconds, or `nil` when the duration has a fraction of a second.
    public var wholeSeconds: Int64? { milliseconds % 1000 == 0 ? milliseconds / 1000 : nil }

    /// Seconds as a floating-point number (for timers).
    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (lhs: DurationText, rhs: DurationText) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public var description: String {
        if milliseconds % 86_400_000 == 0, milliseconds > 0 { return "\(milliseconds / 86_400_000)d" }
        if milliseconds % 3_600_000 == 0, milliseconds > 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0, milliseconds > 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }

    /// Parses `text`; throws a ``SigningError`` (`invalid-duration`) that shows the accepted forms.
    public static func parse(_ text: String) throws -> DurationText {
        let bytes = Array(text.utf8)
        var end = 0
        while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
        let number = String(decoding: bytes[0..<end], as: UTF8.self)
        let unit = String(decoding: bytes[end...], as: UTF8.self)
        let scale: Int64? = switch unit {
        case "", "s": 1000
        case "ms": 1
        case "m": 60_000
        case "h": 3_600_000
        case "d": 86_400_000
        default: nil
        }
        if text.hasPrefix("-") {
            throw SigningError(code: "invalid-duration", message: "The duration '\(text)' is negative. Give a positive length such as 3600, 90s, 15m, 12h or 7d.")
        }
        guard !number.isEmpty, let scale, let value = Int64(number),
              case let (product, overflow) = value.multipliedReportingOverflow(by: scale), !overflow
        else {
            throw SigningError(code: "invalid-duration", message: "'\(text)' is not a duration. Use plain seconds (3600) or a whole number with a unit ms, s, m, h or d (250ms, 90s, 15m, 12h, 7d).")
        }
        return DurationText(milliseconds: product)
    }
}
