/// What the first bytes of a file say it is.
public enum ContentSniffer {
    /// A content kind, and whether the Lightroom API takes it as an image input.
    public struct Kind: Sendable, Equatable {
        public let name: String
        public let isImage: Bool
        public let isHTML: Bool
    }

    /// Recognises JPEG, PNG, TIFF (and TIFF-based raw: DNG, CR2, NEF, ARW, ...), CR3, HEIC/HEIF/AVIF,
    /// PSD, Fujifilm RAF, Olympus ORF, Panasonic RW2, XMP/XML, and HTML pages.
    public static func sniff(_ bytes: [UInt8]) -> Kind? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }
        if starts([0xFF, 0xD8, 0xFF]) { return Kind(name: "JPEG", isImage: true, isHTML: false) }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return Kind(name: "PNG", isImage: true, isHTML: false) }
        if ascii("8BPS") { return Kind(name: "PSD", isImage: true, isHTML: false) }
        if ascii("FUJIFILMCCD-RAW") { return Kind(name: "Fujifilm RAF (camera raw)", isImage: true, isHTML: false) }
        if ascii("IIRO") || ascii("IIRS") || ascii("MMOR") { return Kind(name: "Olympus ORF (camera raw)", isImage: true, isHTML: false) }
        if starts([0x49, 0x49, 0x55, 0x00]) { return Kind(name: "Panasonic RW2 (camera raw)", isImage: true, isHTML: false) }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) {
            if ascii("CR", at: 8) { return Kind(name: "Canon CR2 (camera raw)", isImage: true, isHTML: false) }
            return Kind(name: "TIFF (or a TIFF-based raw: DNG, NEF, ARW, ...)", isImage: true, isHTML: false)
        }
        if ascii("ftyp", at: 4), bytes.count >= 12 {
            let brand = String(decoding: bytes[8..<12], as: UTF8.self)
            if brand == "crx " { return Kind(name: "Canon CR3 (camera raw)", isImage: true, isHTML: false) }
            if ["heic", "heix", "hevc", "hevx", "mif1", "msf1", "avif"].contains(brand) { return Kind(name: "HEIF (\(brand))", isImage: true, isHTML: false) }
        }
        let head = String(decoding: bytes.prefix(512), as: UTF8.self).lowercased()
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") || head.contains("<head>") || head.contains("<body") {
            return Kind(name: "an HTML page", isImage: false, isHTML: true)
        }
        if trimmed.hasPrefix("<?xpacket") || trimmed.contains("<x:xmpmeta") || trimmed.hasPrefix("<?xml") {
            return Kind(name: "XMP/XML text (a preset or sidecar)", isImage: false, isHTML: false)
        }
        return nil
    }
}
