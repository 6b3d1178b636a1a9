import Testing
import SigningCore

@Suite("DurationText")
struct DurationTextTests {
    /// (text, milliseconds, whole seconds)
    static let accepted: [Vector<String, (Int64, Int64?)>] = [
        Vector("3600 (plain seconds)", "3600", (3_600_000, 3600)),
        Vector("90s", "90s", (90_000, 90)),
        Vector("15m", "15m", (900_000, 900)),
        Vector("12h", "12h", (43_200_000, 43_200)),
        Vector("7d", "7d", (604_800_000, 604_800)),
        Vector("250ms (no whole seconds)", "250ms", (250, nil)),
        Vector("1500ms (no whole seconds)", "1500ms", (1500, nil)),
        Vector("2000ms (whole seconds)", "2000ms", (2000, 2)),
        Vector("0", "0", (0, 0)),
        Vector("0s", "0s", (0, 0)),
        Vector("0ms", "0ms", (0, 0)),
        Vector("leading zeros 007", "007", (7000, 7)),
        Vector("604800 (SigV4 maximum)", "604800", (604_800_000, 604_800)),
        Vector("largest ms", "9223372036854775807ms", (Int64.max, nil)),
    ]

    @Test("parse accepts", arguments: accepted)
    func parses(_ vector: Vector<String, (Int64, Int64?)>) throws {
        let duration = try DurationText.parse(vector.input)
        #expect(duration.milliseconds == vector.expected.0)
        #expect(duration.wholeSeconds == vector.expected.1)
        #expect(duration.seconds == Double(vector.expected.0) / 1000)
    }

    static let rejected: [Named<String>] = [
        Named("-5", "-5"),
        Named("-5m", "-5m"),
        Named("1.5h", "1.5h"),
        Named("5 m", "5 m"),
        Named("h", "h"),
        Named("empty", ""),
        Named("10y", "10y"),
        Named("overflow 99999999999999999999d", "99999999999999999999d"),
        Named("overflow in the multiplication 9999999999999999d", "9999999999999999d"),
        Named("overflow 9223372036854775807s", "9223372036854775807s"),
        Named("upper-case unit 5M", "5M"),
        Named("unit twice 5mm", "5mm"),
        Named("leading space", " 5"),
        Named("trailing space", "5 "),
        Named("plus sign", "+5"),
        Named("unit first", "m5"),
        Named("compound 1h30m", "1h30m"),
        Named("seconds spelled out", "5sec"),
        Named("microseconds", "5us"),
        Named("exponent", "1e3"),
        Named("hex", "0x10"),
        Named("non-ASCII digits", "٣s"),
        Named("newline", "5\n"),
    ]

    @Test("parse rejects with invalid-duration", arguments: rejected)
    func rejects(_ input: Named<String>) {
        #expect {
            try DurationText.parse(input.input)
        } throws: { error in
            guard let error = error as? SigningError else { return false }
            return error.code == "invalid-duration" && !error.message.isEmpty
        }
    }

    @Test("a negative duration gets a message that says negative", arguments: ["-5", "-5m", "-0", "-1ms"])
    func negativeMessage(_ text: String) {
        #expect {
            try DurationText.parse(text)
        } throws: { error in
            guard let error = error as? SigningError else { return false }
            return error.code == "invalid-duration" && error.message.contains("negative")
        }
    }

    @Test("other rejections show the accepted forms")
    func formsInMessage() {
        do {
            _ = try DurationText.parse("10y")
            Issue.record("10y parsed")
        } catch let error as SigningError {
            for form in ["3600", "250ms", "90s", "15m", "12h", "7d"] { #expect(error.message.contains(form)) }
            #expect(!error.message.contains("negative"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("description uses the largest whole unit and parses back", arguments: [
        Vector("0", Int64(0), "0s"),
        Vector("250ms", 250, "250ms"),
        Vector("90s", 90_000, "90s"),
        Vector("15m", 900_000, "15m"),
        Vector("12h", 43_200_000, "12h"),
        Vector("7d", 604_800_000, "7d"),
        Vector("3600s -> 1h", 3_600_000, "1h"),
        Vector("1500ms", 1500, "1500ms"),
    ])
    func description(_ vector: Vector<Int64, String>) throws {
        let duration = DurationText(milliseconds: vector.input)
        #expect(duration.description == vector.expected)
        #expect(try DurationText.parse(duration.description) == duration)
    }

    @Test("init(seconds:), ordering and equality")
    func basics() throws {
        #expect(DurationText(seconds: 90) == (try DurationText.parse("90s")))
        #expect(try DurationText.parse("90s") == DurationText.parse("90"))
        #expect(try DurationText.parse("1m") == DurationText.parse("60s"))
        #expect(try DurationText.parse("1d") == DurationText.parse("24h"))
        #expect(try DurationText.parse("999ms") < DurationText.parse("1s"))
        #expect(try DurationText.parse("7d") > DurationText.parse("167h"))
    }
}
