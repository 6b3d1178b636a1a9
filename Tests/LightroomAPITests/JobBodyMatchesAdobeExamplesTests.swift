import Foundation
@testable import LightroomAPI
import TestSupport
import Testing

/// The job bodies against Adobe's published material (`Fixtures/lightroom`): every valid
/// example body is rebuilt from its parts and must come out equal; the invalid examples this tool
/// can express are refused before sending; the edit settings' rules are Adobe's schema's.
struct JobBodyMatchesAdobeExamplesTests {
    static let folder = TestPaths.fixture("lightroom")
    static let fixture = FixtureCases("lightroom/examples.json", key: "requests")
    static var examples: [[String: Any]] {
        get throws {
            try fixture.requireLoaded()
            return fixture.cases
        }
    }

    /// Rebuilds a request from an example body's parts, as the command line would.
    struct Inexpressible: Error {}

    static func rebuild(_ body: [String: Any], endpoint: LightroomEndpoint) throws -> LightroomJobRequest {
        guard let inputs = body["inputs"] as? [String: Any], let outputList = body["outputs"] as? [[String: Any]] else { throw Inexpressible() }
        func file(_ object: Any?) throws -> LightroomJobRequest.File {
            guard let entry = object as? [String: Any], let href = entry["href"] as? String,
                  let storage = (entry["storage"] as? String).flatMap(LightroomStorage.init(rawValue:)) else { throw Inexpressible() }
            return .init(href: href, storage: storage)
        }
        let source = try file(inputs["source"] ?? inputs)
        let outputs = try outputList.map { entry in
            guard let type = LightroomOutputType(rawValue: entry["type"] as? String ?? "") else { throw Inexpressible() }
            return LightroomJobRequest.Output(file: try file(entry), type: type, quality: entry["quality"] as? Int, overwrite: entry["overwrite"] as? Bool)
        }
        var request = LightroomJobRequest(endpoint: endpoint, input: source, outputs: outputs)
        request.presets = try (inputs["presets"] as? [Any] ?? []).map(file)
        let options = body["options"] as? [String: Any] ?? [:]
        request.xmp = options["xmp"] as? String
        request.orientation = options["orientation"] as? Int
        request.uprightMode = options["uprightMode"] as? String
        request.constrainCrop = options["constrainCrop"] as? Bool
        if endpoint == .edit {
            for (name, value) in options.sorted(by: { $0.key < $1.key }) { try request.settings.add("\(name)=\(value)") }
        }
        return request
    }

    static func endpoint(_ example: [String: Any]) -> LightroomEndpoint? {
        (example["endpoint"] as? String).flatMap { text in LightroomEndpoint.allCases.first { text == "POST \($0.path)" } }
    }

    @Test func everyValidExampleIsRebuiltExactly() throws {
        var rebuilt = 0
        for example in try Self.examples where example["valid"] as? Bool == true {
            guard let endpoint = Self.endpoint(example), let body = example["body"] as? [String: Any] else { continue }
            let ours = try JSONSerialization.jsonObject(with: Data(try Self.rebuild(body, endpoint: endpoint).body())) as? NSDictionary
            #expect(ours == body as NSDictionary, "\(example["id"]!)")
            rebuilt += 1
        }
        #expect(rebuilt >= 7)
    }

    @Test func invalidExamplesThisToolCanExpressAreRefused() throws {
        var refused = 0
        for example in try Self.examples where example["valid"] as? Bool == false {
            guard let endpoint = Self.endpoint(example), let body = example["body"] as? [String: Any] else { continue }
            // A body this tool cannot produce (an unknown storage or type; inputs or options in the
            // wrong place, which the builder always puts right) is refused by construction; any
            // other must fail validation, so that no invalid body is ever sent.
            guard let request = try? Self.rebuild(body, endpoint: endpoint) else { refused += 1; continue }
            if let produced = try? request.body() {
                let object = try JSONSerialization.jsonObject(with: Data(produced)) as? NSDictionary
                #expect(object != body as NSDictionary, "\(example["id"]!): this invalid body would be sent")
            }
            refused += 1
        }
        #expect(refused == (try Self.examples).filter { $0["valid"] as? Bool == false && Self.endpoint($0) != nil }.count && refused >= 10)
    }

    @Test func editRulesAreAdobesSchema() throws {
        let schema = try TestPaths.jsonObject(Self.folder.appendingPathComponent("cis-photoshop-api-docs/static/acr/post_image_edit.schema.json"))
        let options = try #require((schema["properties"] as? [String: Any])?["options"] as? [String: Any])
        let properties = try #require(options["properties"] as? [String: [String: Any]])
        #expect(Set(properties.keys) == Set(EditSettings.rules.keys))
        for (name, property) in properties {
            if let choices = property["enum"] as? [String] {
                #expect(EditSettings.rules[name] == .choice(choices), "\(name)")
            } else {
                let expected = EditSettings.Rule.range((property["minimum"] as? Double)!, (property["maximum"] as? Double)!, hundredths: property["multipleOf"] != nil)
                #expect(EditSettings.rules[name] == expected, "\(name)")
            }
        }
    }
}
