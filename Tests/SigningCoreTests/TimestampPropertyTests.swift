import Foundation
import TestSupport
import Testing
import SigningCore

/// Seeded random instants: formatting agrees with Foundation and parsing inverts formatting.
@Suite("Timestamp: property tests")
struct TimestampPropertyTests {
    static let year1970 = Int64(0)
    static let endOf2400 = Timestamp(year: 2401, month: 1, day: 1)!.secondsSince1970 - 1
    /// Foundation's Gregorian calendar switches to Julian before October 1582; stay after it.
    static let start1583 = Timestamp(year: 1583, month: 1, day: 1)!.secondsSince1970

    private static func foundationFormatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")!
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }

    private static func check(_ seconds: Int64, _ formatter: ISO8601DateFormatter, sourceLocation: SourceLocation = #_sourceLocation) {
        let t = Timestamp(secondsSince1970: seconds)
        let text = t.rfc3339
        #expect(text == formatter.string(from: t.date), "seconds \(seconds)", sourceLocation: sourceLocation)
        #expect(Timestamp.parseRFC3339(text) == t, "seconds \(seconds)", sourceLocation: sourceLocation)
        #expect(Timestamp.parseBasicISO8601(t.basicISO8601) == t, "seconds \(seconds)", sourceLocation: sourceLocation)
        #expect((try? Timestamp.parse(text)) == t, "seconds \(seconds)", sourceLocation: sourceLocation)
        #expect(formatter.date(from: text).map { Timestamp($0) } == t, "seconds \(seconds)", sourceLocation: sourceLocation)
        let f = t.fields
        #expect(Timestamp(year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute, second: f.second) == t,
                "seconds \(seconds)", sourceLocation: sourceLocation)
        #expect(t.dateStamp == String(text.prefix(10)).replacingOccurrences(of: "-", with: ""), sourceLocation: sourceLocation)
    }

    @Test("5,000 random instants in 1970...2400 agree with ISO8601DateFormatter and round-trip")
    func randomModernInstants() {
        let formatter = Self.foundationFormatter()
        var rng = SeededGenerator(seed: 0x7157_A3B0)
        for _ in 0..<5_000 {
            Self.check(Int64.random(in: Self.year1970...Self.endOf2400, using: &rng), formatter)
        }
    }

    @Test("1,000 random instants in 1583...1969 (negative epoch) agree with ISO8601DateFormatter")
    func randomHistoricInstants() {
        let formatter = Self.foundationFormatter()
        var rng = SeededGenerator(seed: 0x1583_1969)
        for _ in 0..<1_000 {
            Self.check(Int64.random(in: Self.start1583..<0, using: &rng), formatter)
        }
    }

    @Test("edges: around the epoch, month ends, leap days, year ends")
    func edges() {
        let formatter = Self.foundationFormatter()
        var instants: [Int64] = Array(-3...3) + [Self.endOf2400, Self.endOf2400 - 86_400]
        for year in [1600, 1700, 1899, 1900, 1969, 1970, 1999, 2000, 2023, 2024, 2038, 2100, 2399, 2400] {
            for (month, day) in [(1, 1), (2, 28), (3, 1), (12, 31)] {
                let t = Timestamp(year: year, month: month, day: day)!.secondsSince1970
                instants += [t - 1, t, t + 1, t + 86_399]
            }
            if let leap = Timestamp(year: year, month: 2, day: 29) { instants.append(leap.secondsSince1970) }
        }
        for seconds in instants { Self.check(seconds, formatter) }
    }

    @Test("round trip over the whole supported range 0001...9999 (seeded)")
    func wholeRange() {
        let first = Timestamp(year: 1, month: 1, day: 1)!.secondsSince1970
        let last = Timestamp(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59)!.secondsSince1970
        var rng = SeededGenerator(seed: 0x0001_9999)
        for _ in 0..<2_000 {
            let t = Timestamp(secondsSince1970: Int64.random(in: first...last, using: &rng))
            #expect(Timestamp.parseRFC3339(t.rfc3339) == t, "\(t.secondsSince1970)")
            #expect(Timestamp.parseBasicISO8601(t.basicISO8601) == t, "\(t.secondsSince1970)")
        }
    }

    @Test("offsets: local time plus offset names the same instant (seeded)")
    func randomOffsets() throws {
        var rng = SeededGenerator(seed: 0x0FF5E7)
        for _ in 0..<500 {
            let t = Timestamp(secondsSince1970: Int64.random(in: 0...Self.endOf2400 - 86_400, using: &rng))
            let offsetMinutes = Int.random(in: -(23 * 60 + 59)...(23 * 60 + 59), using: &rng)
            let local = t.adding(seconds: Int64(offsetMinutes * 60)).rfc3339.dropLast() // drop "Z"
            let sign = offsetMinutes < 0 ? "-" : "+"
            let hh = abs(offsetMinutes) / 60, mm = abs(offsetMinutes) % 60
            let text = "\(local)\(sign)\(hh < 10 ? "0" : "")\(hh):\(mm < 10 ? "0" : "")\(mm)"
            #expect(try Timestamp.parse(text) == t, "\(text)")
        }
    }
}
