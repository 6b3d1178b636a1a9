import SigningCore

extension InspectionReport {
    /// The instants RFC 3339 writes with a four-digit year: 0001-01-01T00:00:00Z to
    /// 9999-12-31T23:59:59Z, in seconds since 1970.
    static let writableTimes: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// Drops an issue or expiry time that no RFC 3339 text can hold (a URL dated 9999-12-31
    /// whose lifetime passes the year 9999, an `Expires` of any 64-bit value) and names it as a
    /// problem, so every time printed is valid and no arithmetic on it can overflow.
    mutating func checkTimes() {
        if let end = expiresAt, !Self.writableTimes.contains(end.secondsSince1970) {
            expiresAt = nil
            problems.append(end.secondsSince1970 > Self.writableTimes.upperBound
                ? "The URL's expiry is beyond the year 9999 (its date plus its lifetime); no service accepts it. Sign it again with a real date and lifetime."
                : "The URL's expiry is before the year 0001; no service accepts it. Sign it again with a real date and lifetime.")
        }
        if let start = issuedAt, !Self.writableTimes.contains(start.secondsSince1970) {
            issuedAt = nil
            problems.append("The URL's start time is outside the years 0001 to 9999; no service accepts it. Sign it again with a real date.")
        }
    }
}
