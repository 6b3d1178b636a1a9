import Foundation
import HTTP
import URLCheck

/// One job's request body, built as Adobe's schemas require (`post_auto_tone`,
/// `post_auto_straighten`, `post_presets`, `post_xmp`, `post_image_edit`).
public struct LightroomJobRequest: Sendable {
    /// A file the service reads or writes.
    public struct File: Sendable, Equatable {
        public var href: String
        public var storage: LightroomStorage
        public init(href: String, storage: LightroomStorage? = nil) {
            self.href = href
            self.storage = storage ?? LightroomStorage.inferred(from: href)
        }
    }

    /// An output: where, in which format, and how.
    public struct Output: Sendable, Equatable {
        public var file: File
        public var type: LightroomOutputType
        /// JPEG quality 0...12 (the API's default is 12).
        public var quality: Int?
        /// Only honoured by the API for its own storage; sent when given.
        public var overwrite: Bool?
        public init(file: File, type: LightroomOutputType, quality: Int? = nil, overwrite: Bool? = nil) {
            self.file = file
            self.type = type
            self.quality = quality
            self.overwrite = overwrite
        }
    }

    public var endpoint: LightroomEndpoint
    public var input: File
    public var outputs: [Output]
    /// `presets`: the preset files (XMP) to apply, in order.
    public var presets: [File] = []
    /// `xmp`: the XMP text to apply, and an optional EXIF orientation 1...8.
    public var xmp: String?
    public var orientation: Int?
    /// `autoStraighten`: `auto`, `full`, `level` or `vertical`, and whether to crop.
    public var uprightMode: String?
    public var constrainCrop: Bool?
    /// `edit`: the settings.
    public var settings = EditSettings()

    public static let uprightModes = ["auto", "full", "level", "vertical"]

    public init(endpoint: LightroomEndpoint, input: File, outputs: [Output]) {
        self.endpoint = endpoint
        self.input = input
        self.outputs = outputs
    }

    /// Checks what the schemas check, before anything is sent.
    public func validate() throws {
        func https(_ file: File, _ what: String) throws {
            let url = ParsedURL(file.href)
            guard url.scheme == "https" || (url.scheme == "http" && url.isLoopback) else {
                throw LightroomError.usage("href-not-https", "The \(what) URL must start with https:// (the Lightroom API refuses other hrefs): \(URLRedaction.redact(file.href))")
            }
        }
        try https(input, "input")
        guard (1...25).contains(outputs.count) else {
            throw LightroomError.usage("output-count", "A job takes 1 to 25 outputs, not \(outputs.count). Give --output URL (repeatable).")
        }
        for output in outputs {
            try https(output.file, "output")
            if let quality = output.quality, !(0...12).contains(quality) {
                throw LightroomError.usage("quality-out-of-range", "JPEG quality must be from 0 to 12 (12 is the best and the default), not \(quality).")
            }
        }
        for preset in presets { try https(preset, "preset") }
        switch endpoint {
        case .presets where presets.isEmpty:
            throw LightroomError.usage("presets-missing", "The presets endpoint needs at least one --preset URL (an XMP preset file).")
        case .xmp where (xmp ?? "").isEmpty:
            throw LightroomError.usage("xmp-missing", "The xmp endpoint needs --xmp FILE_OR_URL: the XMP settings to apply.")
        case .edit where settings.values.isEmpty:
            throw LightroomError.usage("settings-missing", "The edit endpoint needs at least one --set Name=value, e.g. --set Exposure=0.5.")
        default: break
        }
        if let orientation, !(1...8).contains(orientation) {
            throw LightroomError.usage("orientation-out-of-range", "--orientation must be an EXIF orientation from 1 to 8, not \(orientation).")
        }
        if let uprightMode, !Self.uprightModes.contains(uprightMode) {
            throw LightroomError.usage("invalid-upright-mode", "--upright must be one of \(Self.uprightModes.joined(separator: ", ")), not '\(uprightMode)'.")
        }
        if constrainCrop != nil && uprightMode == nil {
            throw LightroomError.usage("upright-mode-missing", "--constrain-crop needs --upright MODE (the API requires uprightMode whenever options are given).")
        }
    }

    /// The JSON body (keys sorted, slashes not escaped).
    public func body() throws -> [UInt8] {
        try validate()
        func file(_ file: File) -> [String: Any] { ["href": file.href, "storage": file.storage.rawValue] }
        var object: [String: Any] = [:]
        switch endpoint {
        case .autoTone, .autoStraighten: object["inputs"] = file(input)
        case .presets: object["inputs"] = ["source": file(input), "presets": presets.map(file)]
        case .xmp, .edit: object["inputs"] = ["source": file(input)]
        }
        object["outputs"] = outputs.map { output -> [String: Any] in
            var entry = file(output.file)
            entry["type"] = output.type.rawValue
            if let quality = output.quality { entry["quality"] = quality }
            if let overwrite = output.overwrite { entry["overwrite"] = overwrite }
            return entry
        }
        switch endpoint {
        case .autoStraighten:
            if let uprightMode {
                var options: [String: Any] = ["uprightMode": uprightMode]
                if let constrainCrop { options["constrainCrop"] = constrainCrop }
                object["options"] = options
            }
        case .xmp:
            var options: [String: Any] = ["xmp": xmp ?? ""]
            if let orientation { options["orientation"] = orientation }
            object["options"] = options
        case .edit:
            object["options"] = Dictionary(uniqueKeysWithValues: settings.values.map { entry -> (String, Any) in
                switch entry.value {
                case .number(let number): return (entry.name, number == number.rounded() && abs(number) < 1e15 ? Int(number) as Any : number as Any)
                case .text(let text): return (entry.name, text)
                }
            })
        default: break
        }
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }
}
