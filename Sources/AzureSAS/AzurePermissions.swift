/// SAS permission letters in their canonical orders.
public enum AzurePermissions {
    /// Service and user delegation SAS: `r a c w d x y l t f m e o p i`.
    public static let serviceOrder = Array("racwdxyltfmeopi")
    /// Account SAS: `r w d x y l a c u p f t i`.
    public static let accountOrder = Array("rwdxylacupfti")

    /// Reorders `letters` to `order`; throws on an empty string, an unknown or a repeated letter.
    public static func canonical(_ letters: String, order: [Character], kind: String) throws -> String {
        guard !letters.isEmpty else {
            throw AzureSASError(code: "invalid-permission", message: "No \(kind) permissions were given. Give letters from '\(String(order))', e.g. r to read or cw to create and write.")
        }
        var seen = Set<Character>()
        for letter in letters {
            guard order.contains(letter) else {
                throw AzureSASError(code: "invalid-permission", message: "'\(letter)' is not a \(kind) permission. Use letters from '\(String(order))' (r read, a add, c create, w write, d delete, l list, ...).")
            }
            guard seen.insert(letter).inserted else {
                throw AzureSASError(code: "invalid-permission", message: "The permission '\(letter)' is given twice in '\(letters)'. Give each letter once.")
            }
        }
        return String(order.filter { seen.contains($0) })
    }

    /// What each letter grants, as `rcw (read, create, write)`: the letters as given, then their
    /// meanings in the same order (`p` is "process" in an account SAS, "permissions" otherwise;
    /// an unknown letter shows as itself).
    public static func described(_ letters: String, account: Bool) -> String {
        let words = letters.map { letter in
            letter == "p" ? (account ? "process" : "permissions") : meanings[letter] ?? "'\(letter)'"
        }
        return words.isEmpty ? letters : "\(letters) (\(words.joined(separator: ", ")))"
    }

    private static let meanings: [Character: String] = [
        "r": "read", "a": "add", "c": "create", "w": "write", "d": "delete", "x": "delete version", "y": "permanent delete",
        "l": "list", "t": "tags", "f": "find by tags", "m": "move", "e": "execute", "o": "ownership", "i": "set immutability policy",
        "u": "update",
    ]
}
