import Foundation

/// Runs `work` on every item, at most `limit` at a time; `completed` sees each result as it
/// finishes, `emit` sees them in the items' order as soon as each and every earlier one are done.
func runInOrder<Item: Sendable, Output: Sendable>(_ items: [Item], limit: Int, work: @escaping @Sendable (Item) async -> Output,
                                                  completed: (Output) -> Void = { _ in }, emit: (Output) -> Void) async -> [Output] {
    var results = [Output?](repeating: nil, count: items.count)
    var next = 0
    await withTaskGroup(of: (Int, Output).self) { group in
        var started = 0
        func start() {
            guard started < items.count else { return }
            let index = started, item = items[index]
            group.addTask { (index, await work(item)) }
            started += 1
        }
        for _ in 0..<min(max(limit, 1), items.count) { start() }
        while let (index, output) = await group.next() {
            results[index] = output
            completed(output)
            while next < items.count, let ready = results[next] {
                emit(ready)
                next += 1
            }
            start()
        }
    }
    return results.compactMap { $0 }
}


/// A manifest of JSON lines (a file, or `-` for stdin): each non-blank line's number and object
/// (`nil` when the line is not a JSON object).
enum JSONLines {
    static func read(_ path: String, example: String) throws -> [(number: Int, object: [String: Any]?)] {
        let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
        guard let data, let text = String(data: data, encoding: .utf8) else {
            throw CLIFailure.usage("Cannot read the manifest '\(path)'. Give a file of JSON lines \(example), or - for stdin.")
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { (number: $0.offset + 1, object: (try? JSONSerialization.jsonObject(with: Data($0.element.utf8))) as? [String: Any]) }
    }
}
