extension Timestamp {
    /// RFC 3339 in UTC without fractions, e.g. `2013-05-24T00:00:00Z`.
    public var rfc3339: String {
        let f = fields
        return "\(pad(f.year, 4))-\(pad(f.month, 2))-\(pad(f.day, 2))T\(pad(f.hour, 2)):\(pad(f.minute, 2)):\(pad(f.second, 2))Z"
    }

    /// The SigV4 / GCS V4 basic form, e.g. `20130524T000000Z`.
    public var basicISO8601: String {
        let f = fields
        return "\(pad(f.year, 4))\(pad(f.month, 2))\(pad(f.day, 2))T\(pad(f.hour, 2))\(pad(f.minute, 2))\(pad(f.second, 2))Z"
    }

    /// The date stamp of a credential scope, e.g. `20130524`.
    public var dateStamp: String { String(basicISO8601.prefix(8)) }

    /// Parses a time as a user types it: RFC 3339 (`2013-05-24T00:00:00Z`, an offset such as
    /// `+02:00`, optional fractions, which are dropped) or the SigV4 basic form (`20130524T000000Z`).
    ///
    /// Throws a ``SigningError`` with code `invalid-time` that shows both accepted forms.
    public static func parse(_ text: String) throws -> Timestamp {
        if let value = parseBasicISO8601(text) ?? parseRFC3339(text) { return value }
        throw SigningError(
            code: "invalid-time",
            message: "'\(text)' is not a time this tool understands. Use RFC 3339 in UTC, e.g. 2013-05-24T00:00:00Z (an offset such as +02:00 is fine), or the SigV4 form 20130524T000000Z."
        )
    }

    /// Parses exactly `YYYYMMDDTHHMMSSZ`.
    public static func parseBasicISO8601(_ text: String) -> Timestamp? {
        let b = Array(text.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z"),
              let year = digits(b, 0, 4), let month = digits(b, 4, 2), let day = digits(b, 6, 2),
              let hour = digits(b, 9, 2), let minute = digits(b, 11, 2), let second = digits(b, 13, 2)
        else { return nil }
        return Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// Parses RFC 3339 `date-time` (`T`/`t`/space separator, `Z`/`z` or `±HH:MM` offset, optional fraction).
    public static func parseRFC3339(_ text: String) -> Timestamp? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(b[10]),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
              let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2)
        else { return nil }
        var index = 19
        if b[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[index]) { index += 1 }
            guard index > start, index < b.count else { return nil }
        }
        var offsetSeconds = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == b.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == b.count, b[index + 3] == UInt8(ascii: ":"),
                  let oh = digits(b, index + 1, 2), let om = digits(b, index + 4, 2), oh <= 23, om <= 59
            else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        guard let local = Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        return local.adding(seconds: Int64(-offsetSeconds))
    }

    private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<start + count] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
