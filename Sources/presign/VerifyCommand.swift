import ArgumentParser
import Foundation
import HTTP
import SigningCore
import URLCheck

/// `presign verify`: can the service really read each input and write each output?
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that a job's inputs can be read and its outputs written, without destroying data.",
        discussion: """
        Replaces `curl -X GET URL --output f` and `curl -X PUT URL -d f`. Inputs: a ranged GET of the first bytes, which are then recognised (JPEG, PNG, TIFF, DNG and camera raw, HEIC, PSD; an HTML page fails). Outputs: a PUT with Expect: 100-continue (and the headers the provider needs, e.g. x-ms-blob-type for Azure) that stops once the server accepts the headers, so nothing is written; "inconclusive" when the server does not answer that way (then --write-probe uploads a small probe). A single-use Dropbox upload link is never consumed without --consume: it is "unverifiable" (a warning, exit 0, unless --strict). --header 'Name: value' sends what the consumer will send (e.g. a signed content-type). 429, 502, 503 and 504 are retried like the service retries them, each retry reported on stderr. Every URL is also inspected: a problem fails it. Exit 0 when every URL is ok (or unverifiable), 1 otherwise.

        Examples:
          presign verify --input "$IN" --output "$OUT"
          presign verify --manifest urls.jsonl --concurrency 32 --json > verdicts.jsonl
          presign verify --output "$OUT" --header 'content-type: image/jpeg'
        """
    )

    @Option(name: .customLong("input"), help: ArgumentHelp("A URL the service must read (repeatable).", valueName: "URL"))
    var inputs: [String] = []

    @Option(name: .customLong("output"), help: ArgumentHelp("A URL the service must write (repeatable).", valueName: "URL"))
    var outputs: [String] = []

    @Argument(help: ArgumentHelp("URLs whose role is inferred from the URL (else input).", valueName: "URL"))
    var urls: [String] = []

    @Option(help: ArgumentHelp("JSON lines {\"role\": \"input\"|\"output\", \"url\": ...} ('-' for stdin).", valueName: "FILE"))
    var manifest: String?

    @Option(help: "How many URLs to check at once.")
    var concurrency: Int = 8

    @Flag(help: "Upload a small probe to each output instead of stopping after the headers (overwrites the object).")
    var writeProbe = false

    @Flag(help: "Allow consuming single-use links (Dropbox upload links) to prove them.")
    var consume = false

    @Option(name: .customLong("header"), help: ArgumentHelp("A header the consumer will send, sent with every check (repeatable), e.g. a signed content-type.", valueName: "'Name: value'"))
    var headers: [String] = []

    @Flag(help: "Fail (exit 1) on an unverifiable URL too (a single-use link that only its use can prove).")
    var strict = false

    @Option(help: ArgumentHelp("Extra trusted CA certificates (PEM), like curl --cacert.", valueName: "FILE"))
    var cacert: String?

    @Option(help: ArgumentHelp("Warn when a URL expires sooner than this.", valueName: "DURATION"))
    var minLifetime: String = "15m"

    @Option(help: ArgumentHelp("Give up on one URL after this long.", valueName: "DURATION"))
    var timeout: String = "30s"

    @Flag(help: "Print one JSON object per URL, in input order.")
    var json = false

    @OptionGroup var retry: RetryOptions

    func validate() throws {
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be from 1 to 256, not \(concurrency).") }
        if inputs.isEmpty && outputs.isEmpty && urls.isEmpty && manifest == nil {
            throw ValidationError("Give URLs to check: --input URL, --output URL, bare URLs, or --manifest FILE.")
        }
        for header in headers { _ = try HeaderText.parse(header) }
    }

    func run() async throws {
        var items = inputs.map { (url: $0, role: URLRole?.some(.input)) } + outputs.map { (url: $0, role: URLRole?.some(.output)) }
        items += urls.map { (url: $0, role: URLRole?.none) }
        if let manifest { items += try ManifestReader.read(manifest) }
        var verifier = URLVerifier(http: HTTPClient(maxConcurrentTransfers: concurrency))
        verifier.policy = retry.storageFetch
        verifier.writeProbe = writeProbe
        verifier.consume = consume
        verifier.headers = try headers.map(HeaderText.parse)
        verifier.caFile = cacert
        verifier.timeout = try DurationText.parse(timeout).seconds
        verifier.minimumLifetime = try DurationText.parse(minLifetime).wholeSeconds ?? 900
        let outcomes = try await VerifyRunner(verifier: verifier, concurrency: concurrency, showProgress: items.count > 1)
            .run(items) { outcome in print(json ? VerifyText.json(outcome) : VerifyText.human(outcome)) }
        let unverifiable = outcomes.filter { $0.verdict == .unverifiable }.count
        if unverifiable > 0 {
            StandardError.write("warning: \(unverifiable) URL\(unverifiable == 1 ? " was" : "s were") not checked: a single-use link can be proven only by using it (\(strict ? "failing, as --strict asks" : "--strict makes that fail")).\n")
        }
        if !outcomes.allSatisfy({ $0.ok || ($0.verdict == .unverifiable && !strict) }) { throw ExitCode(1) }
    }
}
