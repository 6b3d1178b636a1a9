import Foundation

/// The cases of one fixture file (an array of objects under `key`), each named by its `id` field,
/// loaded once for a parameterized test.
///
/// When the file is missing, unreadable or holds no case, `ids` is a single name that says so, so
/// the parameterized test still has a case, and `case(_:)` throws a ``FixtureError`` naming the
/// file: a missing fixture fails the test instead of leaving it with no arguments.
public struct FixtureCases: @unchecked Sendable {
    /// The fixture file.
    public let url: URL
    /// The cases, in the file's order (empty when it could not be loaded).
    public let cases: [[String: Any]]
    /// The whole file (empty when it could not be loaded).
    public let root: [String: Any]
    private let failure: FixtureError?
    private let idField: String

    /// Loads `Fixtures/<relativePath>` and its cases under `key`, named by `idField`.
    public init(_ relativePath: String, key: String = "cases", idField: String = "id") {
        url = TestPaths.fixture(relativePath)
        self.idField = idField
        do {
            let object = try TestPaths.jsonObject(url)
            guard let list = object[key] as? [[String: Any]], !list.isEmpty else {
                throw FixtureError(url: url, reason: "has no cases under \"\(key)\"")
            }
            root = object
            cases = list
            failure = nil
        } catch {
            root = [:]
            cases = []
            failure = error as? FixtureError ?? FixtureError(url: url, reason: "\(error)")
        }
    }

    /// The case names, or one name that reports the missing fixture.
    public var ids: [String] {
        if let failure { return ["MISSING FIXTURE: \(failure)"] }
        return cases.compactMap { $0[idField] as? String }
    }

    /// The case named `id`; throws when the fixture could not be loaded or has no such case.
    public func `case`(_ id: String) throws -> [String: Any] {
        if let failure { throw failure }
        guard let found = cases.first(where: { $0[idField] as? String == id }) else {
            throw FixtureError(url: url, reason: "has no case \"\(id)\"")
        }
        return found
    }

    /// Throws when the fixture could not be loaded (for tests that read `cases` directly).
    public func requireLoaded() throws {
        if let failure { throw failure }
    }
}
