import Foundation
import SigningCore
import URLCheck

/// Checks many URLs concurrently and prints each result in input order as soon as it and every
/// earlier one are done; progress goes to stderr.
struct VerifyRunner {
    let verifier: URLVerifier
    let concurrency: Int
    let showProgress: Bool

    func run(_ items: [(url: String, role: URLRole?)], emit: (VerificationOutcome) -> Void) async throws -> [VerificationOutcome] {
        var done = 0, failed = 0
        let verifier = self.verifier, total = items.count
        let outcomes = await runInOrder(items.map { VerifyItem(url: $0.url, role: $0.role) }, limit: concurrency,
                                        work: { await verifier.verify($0.url, role: $0.role) }, completed: { outcome in
            done += 1
            if !outcome.ok { failed += 1 }
            if showProgress && (done % 50 == 0 || done == total) {
                StandardError.write("verify: \(done)/\(total) checked, \(failed) not ok\n")
            }
        }, emit: emit)
        fflush(nil)
        return outcomes
    }
}

/// One URL to check.
struct VerifyItem: Sendable {
    let url: String
    let role: URLRole?
}

/// `--manifest`: JSON lines `{"role": "input"|"output", "url": "..."}`.
enum ManifestReader {
    static func read(_ path: String) throws -> [(url: String, role: URLRole?)] {
        var items: [(url: String, role: URLRole?)] = []
        for (number, object) in try JSONLines.read(path, example: #"{"role": "input", "url": "..."}"#) {
            guard let object, let url = object["url"] as? String else {
                throw CLIFailure.usage("Manifest line \(number) is not a JSON object with a \"url\". Write {\"role\": \"input\", \"url\": \"https://...\"}.")
            }
            let roleText = object["role"] as? String
            guard roleText == nil || URLRole(rawValue: roleText!) != nil else {
                throw CLIFailure.usage("Manifest line \(number) has role '\(roleText!)'; use input or output.")
            }
            items.append((url: url, role: roleText.flatMap(URLRole.init(rawValue:))))
        }
        return items
    }
}

/// How `verify` prints an outcome: the URL redacted (by `URLVerifier`), and every text a
/// server may have supplied scrubbed of the secrets the process holds.
enum VerifyText {
    static func human(_ outcome: VerificationOutcome) -> String {
        SecretRegistry.scrub(humanText(outcome))
    }

    private static func humanText(_ outcome: VerificationOutcome) -> String {
        let label = outcome.verdict == .ok ? "ok" : outcome.verdict.rawValue.uppercased()
        var line = "\(label.padding(toLength: 12, withPad: " ", startingAt: 0)) \(outcome.role.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(outcome.url)"
        var details: [String] = []
        if let status = outcome.status { details.append("HTTP \(status)\(outcome.providerCode.map { " \($0)" } ?? "")") }
        if let content = outcome.content { details.append(content) }
        if !details.isEmpty { line += "\n    " + details.joined(separator: ", ") }
        if let hint = outcome.hint, !outcome.ok { line += "\n    fix: \(hint)" }
        for problem in outcome.problems where problem != outcome.hint { line += "\n    problem: \(problem)" }
        for warning in outcome.warnings { line += "\n    warning: \(warning)" }
        for note in outcome.notes { line += "\n    note: \(note)" }
        return line
    }

    static func json(_ outcome: VerificationOutcome) -> String {
        SecretRegistry.scrub(JSONTextBridge.object([
            ("url", .string(outcome.url)), ("role", .string(outcome.role.rawValue)), ("roleInferred", .bool(outcome.roleInferred)),
            ("provider", .string(outcome.provider)), ("ok", .bool(outcome.ok)), ("status", outcome.status.map { .number($0) } ?? .null),
            ("verdict", .string(outcome.verdict.rawValue)), ("code", outcome.providerCode.map { .string($0) } ?? .null),
            ("content", outcome.content.map { .string($0) } ?? .null),
            ("problems", .strings(outcome.problems)), ("warnings", .strings(outcome.warnings)), ("notes", .strings(outcome.notes)), ("hint", outcome.hint.map { .string($0) } ?? .null),
        ]))
    }
}

/// Typed JSON values on top of `JSONText`.
enum JSONTextBridge {
    enum Value { case string(String), bool(Bool), number(Int), null, strings([String]) }

    static func object(_ fields: [(String, Value)]) -> String {
        JSONText.object(fields.map { name, value in
            switch value {
            case .string(let text): (name, JSONText.string(text))
            case .bool(let flag): (name, flag ? "true" : "false")
            case .number(let number): (name, String(number))
            case .null: (name, "null")
            case .strings(let texts): (name, JSONText.array(texts.map(JSONText.string)))
            }
        })
    }
}
