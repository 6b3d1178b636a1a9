import Foundation
import Testing
import SigningCore

@Suite("Timestamp: formats and parsing")
struct TimestampTests {
    /// 2013-05-24T00:00:00Z, the instant of the AWS SigV4 examples.
    static let awsExample = Timestamp(secondsSince1970: 1_369_353_600)

    @Test("the three text forms of a known instant")
    func formats() {
        let t = Self.awsExample
        #expect(t.rfc3339 == "2013-05-24T00:00:00Z")
        #expect(t.basicISO8601 == "20130524T000000Z")
        #expect(t.dateStamp == "20130524")
        #expect(t.description == "2013-05-24T00:00:00Z")
        #expect(Timestamp(year: 2013, month: 5, day: 24) == t)
        let f = Timestamp(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58)!.fields
        #expect(f.year == 2024 && f.month == 2 && f.day == 29 && f.hour == 23 && f.minute == 59 && f.second == 58)
    }

    @Test("parse accepts", arguments: [
        Vector("RFC 3339 Z", "2013-05-24T00:00:00Z", Int64(1_369_353_600)),
        Vector("basic SigV4 form", "20130524T000000Z", 1_369_353_600),
        Vector("+02:00 offset", "2013-05-24T02:00:00+02:00", 1_369_353_600),
        Vector("-04:30 offset", "2013-05-23T19:30:00-04:30", 1_369_353_600),
        Vector("+00:00 offset", "2013-05-24T00:00:00+00:00", 1_369_353_600),
        Vector("-00:00 offset", "2013-05-24T00:00:00-00:00", 1_369_353_600),
        Vector("+23:59 offset", "2013-05-24T23:59:00+23:59", 1_369_353_600),
        Vector("offset crosses the year", "2000-01-01T01:00:00+02:00", 946_681_200),
        Vector("fraction dropped", "2013-05-24T00:00:00.999Z", 1_369_353_600),
        Vector("long fraction", "2013-05-24T00:00:00.123456789Z", 1_369_353_600),
        Vector("fraction with offset", "2013-05-24T02:00:00.5+02:00", 1_369_353_600),
        Vector("lower-case t and z", "2013-05-24t00:00:00z", 1_369_353_600),
        Vector("space separator", "2013-05-24 00:00:00Z", 1_369_353_600),
        Vector("epoch", "1970-01-01T00:00:00Z", 0),
        Vector("epoch, basic", "19700101T000000Z", 0),
        Vector("before the epoch", "1969-12-31T23:59:59Z", -1),
        Vector("before the epoch, basic", "19691231T000000Z", -86_400),
        Vector("leap second folds onto the next second", "2016-12-31T23:59:60Z", 1_483_228_800),
        Vector("Y2038 boundary", "2038-01-19T03:14:08Z", 2_147_483_648),
        Vector("largest year", "9999-12-31T23:59:59Z", 253_402_300_799),
        Vector("year 1", "0001-01-01T00:00:00Z", -62_135_596_800),
    ])
    func parseAccepts(_ vector: Vector<String, Int64>) throws {
        #expect(try Timestamp.parse(vector.input).secondsSince1970 == vector.expected)
    }

    @Test("parseRFC3339 and parseBasicISO8601 only take their own form")
    func specificParsers() {
        #expect(Timestamp.parseRFC3339("2013-05-24T00:00:00Z") == Self.awsExample)
        #expect(Timestamp.parseRFC3339("20130524T000000Z") == nil)
        #expect(Timestamp.parseBasicISO8601("20130524T000000Z") == Self.awsExample)
        #expect(Timestamp.parseBasicISO8601("2013-05-24T00:00:00Z") == nil)
        #expect(Timestamp.parseBasicISO8601("20130524t000000z") == nil)
    }

    @Test("parse rejects with invalid-time", arguments: [
        Named("empty", ""),
        Named("garbage", "garbage"),
        Named("date only", "2013-05-24"),
        Named("no zone", "2013-05-24T00:00:00"),
        Named("February 30", "2013-02-30T00:00:00Z"),
        Named("February 30, basic", "20130230T000000Z"),
        Named("April 31", "2013-04-31T00:00:00Z"),
        Named("month 13", "2013-13-01T00:00:00Z"),
        Named("month 13, basic", "20131301T000000Z"),
        Named("month 0", "2013-00-10T00:00:00Z"),
        Named("day 0", "2013-05-00T00:00:00Z"),
        Named("day 32", "2013-01-32T00:00:00Z"),
        Named("hour 24", "2013-05-24T24:00:00Z"),
        Named("hour 24, basic", "20130524T240000Z"),
        Named("minute 60", "2013-05-24T00:60:00Z"),
        Named("second 61", "2013-05-24T00:00:61Z"),
        Named("year 0", "0000-01-01T00:00:00Z"),
        Named("trailing junk after Z", "2013-05-24T00:00:00Zjunk"),
        Named("trailing junk after basic Z", "20130524T000000Zx"),
        Named("trailing newline", "2013-05-24T00:00:00Z\n"),
        Named("leading space", " 2013-05-24T00:00:00Z"),
        Named("trailing junk after offset", "2013-05-24T02:00:00+02:00x"),
        Named("offset without colon", "2013-05-24T02:00:00+0200"),
        Named("offset hour only", "2013-05-24T02:00:00+02"),
        Named("offset hour 24", "2013-05-24T02:00:00+24:00"),
        Named("offset minute 60", "2013-05-24T02:00:00+01:60"),
        Named("empty fraction", "2013-05-24T00:00:00.Z"),
        Named("fraction without zone", "2013-05-24T00:00:00.123"),
        Named("comma fraction", "2013-05-24T00:00:00,5Z"),
        Named("single-digit month", "2013-5-24T00:00:00Z"),
        Named("two-digit year", "13-05-24T00:00:00Z"),
        Named("five-digit year", "12013-05-24T00:00:00Z"),
        Named("signed year", "+2013-05-24T00:00:00Z"),
        Named("slashes", "2013/05/24T00:00:00Z"),
        Named("wrong separator", "2013-05-24X00:00:00Z"),
        Named("basic without Z", "20130524T000000"),
        Named("basic lower t", "20130524t000000Z"),
        Named("basic with offset", "20130524T000000+0000"),
        Named("epoch seconds", "1369353600"),
        Named("non-ASCII digits", "٢٠١٣-05-24T00:00:00Z"),
    ])
    func parseRejects(_ input: Named<String>) {
        #expect {
            try Timestamp.parse(input.input)
        } throws: { error in
            guard let error = error as? SigningError else { return false }
            return error.code == "invalid-time" && error.message.contains("2013-05-24T00:00:00Z") && error.message.contains("20130524T000000Z")
        }
    }

    @Test("leap days", arguments: [
        Vector("2024-02-29 (divisible by 4)", (2024, true), ""),
        Vector("2023-02-29 (not divisible by 4)", (2023, false), ""),
        Vector("2000-02-29 (divisible by 400)", (2000, true), ""),
        Vector("1900-02-29 (century, not by 400)", (1900, false), ""),
        Vector("2100-02-29 (century, not by 400)", (2100, false), ""),
        Vector("2400-02-29 (divisible by 400)", (2400, true), ""),
        Vector("1972-02-29 (first after the epoch)", (1972, true), ""),
    ])
    func leapDays(_ vector: Vector<(Int, Bool), String>) throws {
        let (year, valid) = vector.input
        let y = String(year)
        #expect((Timestamp(year: year, month: 2, day: 29) != nil) == valid)
        #expect((Timestamp.parseRFC3339("\(y)-02-29T12:00:00Z") != nil) == valid)
        #expect((Timestamp.parseBasicISO8601("\(y)0229T120000Z") != nil) == valid)
        if valid {
            let t = try Timestamp.parse("\(y)-02-29T12:00:00Z")
            #expect(t.rfc3339 == "\(y)-02-29T12:00:00Z")
            #expect(t.adding(seconds: 12 * 3600).rfc3339 == "\(y)-03-01T00:00:00Z")
            #expect(t.adding(seconds: -(36 * 3600) - 1).rfc3339 == "\(y)-02-27T23:59:59Z")
        } else {
            #expect(throws: SigningError.self) { try Timestamp.parse("\(y)-02-29T12:00:00Z") }
            #expect(Timestamp(year: year, month: 2, day: 28, hour: 12)!.adding(seconds: 86_400).rfc3339 == "\(y)-03-01T12:00:00Z")
        }
    }

    @Test("init(year:...) range checks")
    func fieldInitRanges() {
        #expect(Timestamp(year: 2013, month: 5, day: 24, hour: 23, minute: 59, second: 59) != nil)
        #expect(Timestamp(year: 2013, month: 5, day: 24, hour: -1) == nil)
        #expect(Timestamp(year: 2013, month: 5, day: 24, minute: 60) == nil)
        #expect(Timestamp(year: 2013, month: 5, day: 24, second: 61) == nil)
        #expect(Timestamp(year: 10_000, month: 1, day: 1) == nil)
        #expect(Timestamp(year: 2013, month: 6, day: 31) == nil)
        #expect(Timestamp(year: 2013, month: 12, day: 31) != nil)
    }

    @Test("negative epoch seconds (1969 and earlier)", arguments: [
        Vector("-1", Int64(-1), "1969-12-31T23:59:59Z"),
        Vector("-86399", -86_399, "1969-12-31T00:00:01Z"),
        Vector("-86400", -86_400, "1969-12-31T00:00:00Z"),
        Vector("-86401", -86_401, "1969-12-30T23:59:59Z"),
        Vector("1969-01-01", -31_536_000, "1969-01-01T00:00:00Z"),
        Vector("1900-01-01", -2_208_988_800, "1900-01-01T00:00:00Z"),
        Vector("1600-03-01", -11_670_912_000, "1600-03-01T00:00:00Z"),
    ])
    func negativeEpoch(_ vector: Vector<Int64, String>) throws {
        let t = Timestamp(secondsSince1970: vector.input)
        #expect(t.rfc3339 == vector.expected)
        #expect(try Timestamp.parse(t.rfc3339) == t)
        #expect(try Timestamp.parse(t.basicISO8601) == t)
    }

    @Test("Date conversions drop fractions toward the past")
    func dateConversions() {
        #expect(Timestamp(Date(timeIntervalSince1970: 1_369_353_600.999)) == Self.awsExample)
        #expect(Timestamp(Date(timeIntervalSince1970: -0.5)).secondsSince1970 == -1)
        #expect(Timestamp(Date(timeIntervalSince1970: -1.0)).secondsSince1970 == -1)
        #expect(Self.awsExample.date == Date(timeIntervalSince1970: 1_369_353_600))
        #expect(Timestamp(Self.awsExample.date) == Self.awsExample)
    }

    @Test("ordering and arithmetic")
    func ordering() {
        let t = Self.awsExample
        #expect(t < t.adding(seconds: 1))
        #expect(t.adding(seconds: -1) < t)
        #expect(t.adding(seconds: 604_800).rfc3339 == "2013-05-31T00:00:00Z")
        #expect(Set([t, Timestamp(secondsSince1970: 1_369_353_600)]).count == 1)
    }
}
