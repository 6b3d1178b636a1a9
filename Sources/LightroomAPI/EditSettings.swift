/// The `edit` endpoint's settings, validated against Adobe's documented ranges
/// (`post_image_edit.schema.json`: `additionalProperties: false`).
public struct EditSettings: Sendable, Equatable {
    /// A number from `low` to `high` (in steps of 0.01 when `hundredths`), or one of some words.
    enum Rule: Sendable, Equatable { case range(Double, Double, hundredths: Bool), choice([String]) }

    /// Every setting the schema allows and its rule.
    static let rules: [String: Rule] = {
        var rules: [String: Rule] = ["Exposure": .range(-5, 5, hundredths: true), "Sharpness": .range(0, 150, hundredths: false),
                                     "SharpenRadius": .range(0.5, 3, hundredths: true)]
        for name in ["Contrast", "Saturation", "VignetteAmount", "Vibrance", "Highlights", "Shadows", "Whites", "Blacks", "Clarity", "Dehaze", "Texture"] {
            rules[name] = .range(-100, 100, hundredths: false)
        }
        for name in ["ColorNoiseReduction", "NoiseReduction", "SharpenDetail", "SharpenEdgeMasking"] { rules[name] = .range(0, 100, hundredths: false) }
        rules["WhiteBalance"] = .choice(["As Shot", "Auto", "Cloudy", "Custom", "Daylight", "Flash", "Fluorescent", "Shade", "Tungsten"])
        return rules
    }()

    /// A number or a word, in the order given.
    public enum Value: Sendable, Equatable { case number(Double), text(String) }
    public private(set) var values: [(name: String, value: Value)] = []

    public static func == (lhs: EditSettings, rhs: EditSettings) -> Bool {
        lhs.values.map(\.name) == rhs.values.map(\.name) && lhs.values.map(\.value) == rhs.values.map(\.value)
    }

    public init() {}

    /// Parses `Name=value` (`Exposure=0.5`, `WhiteBalance=Auto`) and checks it against the rules.
    public mutating func add(_ assignment: String) throws {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw LightroomError.usage("invalid-setting", "'\(assignment)' is not Name=value. Write e.g. --set Exposure=0.5 or --set WhiteBalance=Auto.")
        }
        let name = parts[0].trimmingCharacters(in: .whitespaces), text = parts[1].trimmingCharacters(in: .whitespaces)
        guard let rule = Self.rules.first(where: { $0.key.lowercased() == name.lowercased() }) else {
            throw LightroomError.usage("unknown-setting", "The edit endpoint has no setting '\(name)'. Use one of: \(Self.rules.keys.sorted().joined(separator: ", ")).")
        }
        guard !values.contains(where: { $0.name == rule.key }) else {
            throw LightroomError.usage("repeated-setting", "\(rule.key) is set twice. Give each setting once.")
        }
        switch rule.value {
        case .range(let low, let high, let hundredths):
            guard let number = Double(text), number.isFinite else {
                throw LightroomError.usage("invalid-setting", "\(rule.key) must be a number from \(Self.format(low)) to \(Self.format(high)), not '\(text)'.")
            }
            guard number >= low && number <= high else {
                throw LightroomError.usage("setting-out-of-range", "\(rule.key) must be from \(Self.format(low)) to \(Self.format(high)); \(text) is outside the range the API accepts.")
            }
            guard !hundredths || abs(number * 100 - (number * 100).rounded()) < 1e-6 else {
                throw LightroomError.usage("setting-too-precise", "\(rule.key) takes steps of 0.01; \(text) is finer. Round it to two decimals.")
            }
            values.append((rule.key, .number(number)))
        case .choice(let choices):
            guard let choice = choices.first(where: { $0.lowercased() == text.lowercased() }) else {
                throw LightroomError.usage("invalid-setting", "\(rule.key) must be one of: \(choices.joined(separator: ", ")); not '\(text)'.")
            }
            values.append((rule.key, .text(choice)))
        }
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }
}
