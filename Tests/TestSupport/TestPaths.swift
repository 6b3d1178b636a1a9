import Foundation

/// Where the tests find the repository and its fixtures.
///
/// Every fixture lives in this repository's `Fixtures/` (see `Fixtures/README.md`). A fixture that
/// is missing or unreadable is a test failure that names the file, never a skip.
public enum TestPaths {
    /// The repository root (two levels above `Tests/<Target>/`).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/` of this repository.
    public static let fixtures = repositoryRoot.appendingPathComponent("Fixtures")

    /// The Python that runs the stand-ins and botocore: `PRESIGN_TEST_PYTHON` (scripts/test.sh sets
    /// it), else the test venv `.ci-work/venv/bin/python` when it exists, else `python3` on PATH.
    public static let python: URL = {
        if let path = ProcessInfo.processInfo.environment["PRESIGN_TEST_PYTHON"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let venv = repositoryRoot.appendingPathComponent(".ci-work/venv/bin/python")
        if FileManager.default.isExecutableFile(atPath: venv.path) { return venv }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("python3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: "/usr/bin/python3")
    }()

    /// `Fixtures/<relativePath>`.
    public static func fixture(_ relativePath: String) -> URL {
        fixtures.appendingPathComponent(relativePath)
    }

    /// Reads a file as UTF-8 text; a failure names the file.
    public static func text(_ url: URL) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw FixtureError(url: url, reason: "cannot be read as UTF-8 text (\(error.localizedDescription))")
        }
    }

    /// Reads a file's bytes; a failure names the file.
    public static func data(_ url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw FixtureError(url: url, reason: "cannot be read (\(error.localizedDescription))")
        }
    }

    /// Reads a JSON file; a failure names the file.
    public static func json(_ url: URL) throws -> Any {
        let bytes = try data(url)
        do {
            return try JSONSerialization.jsonObject(with: bytes)
        } catch {
            throw FixtureError(url: url, reason: "is not valid JSON (\(error.localizedDescription))")
        }
    }

    /// Reads a JSON file whose top level is an object; a failure names the file.
    public static func jsonObject(_ url: URL) throws -> [String: Any] {
        guard let object = try json(url) as? [String: Any] else {
            throw FixtureError(url: url, reason: "does not hold a JSON object at its top level")
        }
        return object
    }

    /// `url` relative to the repository, for messages.
    public static func displayPath(_ url: URL) -> String {
        let root = repositoryRoot.path + "/"
        return url.path.hasPrefix(root) ? String(url.path.dropFirst(root.count)) : url.path
    }
}

/// A fixture file that is missing, unreadable or not of the expected shape.
public struct FixtureError: Error, CustomStringConvertible {
    /// The file.
    public let url: URL
    /// What is wrong with it.
    public let reason: String

    /// A fixture error for `url`.
    public init(url: URL, reason: String) {
        self.url = url
        self.reason = reason
    }

    /// "fixture Fixtures/x.json cannot be read (...); see Fixtures/README.md".
    public var description: String {
        "fixture \(TestPaths.displayPath(url)) \(reason); see Fixtures/README.md"
    }
}
