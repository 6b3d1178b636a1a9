import Testing

/// One named test vector: `name` is what swift-testing shows for the case.
struct Vector<Input: Sendable, Expected: Sendable>: Sendable, CustomTestStringConvertible {
    let name: String
    let input: Input
    let expected: Expected

    init(_ name: String, _ input: Input, _ expected: Expected) {
        self.name = name
        self.input = input
        self.expected = expected
    }

    var testDescription: String { name }
}

/// A named input with no expected value (for rejection lists).
struct Named<Input: Sendable>: Sendable, CustomTestStringConvertible {
    let name: String
    let input: Input

    init(_ name: String, _ input: Input) {
        self.name = name
        self.input = input
    }

    var testDescription: String { name }
}


/// Bytes from a hex literal written for a test (spaces allowed); traps on a typo in the test itself.
func bytes(hex: String) -> [UInt8] {
    let digits = hex.filter { !$0.isWhitespace }
    var out: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        out.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return out
}
