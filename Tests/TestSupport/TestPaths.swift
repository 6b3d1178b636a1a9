import Foundation

/// Where the tests find the repository, its fixtures and the shared vectors.
public enum TestPaths {
    /// The repository root (two levels above `Tests/<Target>/`).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/` of this repository.
    public static let fixtures = repositoryRoot.appendingPathComponent("Fixtures")

    /// `../shared/vectors` beside the repository, or `PRESIGN_SHARED_DIR/vectors`.
    public static let sharedVectors: URL = {
        if let dir = ProcessInfo.processInfo.environment["PRESIGN_SHARED_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir).appendingPathComponent("vectors")
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")
    }()

    /// Whether the shared vectors are present (tests that need them are skipped otherwise).
    public static var hasSharedVectors: Bool {
        FileManager.default.fileExists(atPath: sharedVectors.path)
    }

    /// The message shown when shared vectors are missing.
    public static let sharedVectorsMissing = "../shared/vectors is absent (set PRESIGN_SHARED_DIR to the shared folder); vector tests skipped"

    /// Reads a file as UTF-8 text.
    public static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    /// Reads a JSON file.
    public static func json(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }
}
