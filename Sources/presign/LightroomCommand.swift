import ArgumentParser
import Foundation
import LightroomAPI

/// `presign lightroom`: submit Lightroom API jobs and follow them.
struct LightroomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lightroom",
        abstract: "Submit a Lightroom API job (verifying its URLs first) and follow it.",
        discussion: """
        Credentials: LIGHTROOM_CLIENT_ID (sent as x-api-key) with LIGHTROOM_CLIENT_SECRET (exchanged at IMS for a token, client credentials) or LIGHTROOM_ACCESS_TOKEN. Requests are retried only on 5xx, --retries times (default 3) with exponential back-off and jitter, as the API asks; a 429 is reported with the wait its Retry-After asks for unless --retry-429.

        Endpoints: --api-base and --ims-url default to $PRESIGN_LIGHTROOM_API and $PRESIGN_IMS_URL when set (a flag wins over its variable).

        The status link is printed (stdout, and stderr) as soon as the job is accepted; interrupted while waiting (Ctrl-C, SIGTERM), presign says how to follow the job (presign lightroom status URL) and exits 130 or 143. Every warning of the URLs' check is shown on stderr before the job is sent.

        Examples:
          presign lightroom autotone --input "$IN" --output "$OUT" --wait
          presign lightroom edit --input "$IN" --output "$OUT" --set Exposure=0.5 --set WhiteBalance=Auto
          presign lightroom status https://image.adobe.io/lrService/status/JOB_ID
        """,
        subcommands: [AutoToneCommand.self, AutoStraightenCommand.self, PresetsCommand.self, XMPCommand.self, EditCommand.self, LightroomStatusCommand.self]
    )
}

struct AutoToneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "autotone", abstract: "Auto tone a photo (POST /lrService/autoTone).")
    @OptionGroup var job: LightroomJobOptions
    func run() async throws { try await LightroomRunner(options: job).run(.autoTone) { _ in } }
}

struct AutoStraightenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "autostraighten", abstract: "Straighten a photo (POST /lrService/autoStraighten).")
    @OptionGroup var job: LightroomJobOptions
    @Option(help: ArgumentHelp("Upright mode: auto, full, level or vertical.", valueName: "MODE"))
    var upright: String?
    @Option(help: "Crop to the straightened image (needs --upright): true or false.")
    var constrainCrop: Bool?
    func run() async throws {
        try await LightroomRunner(options: job).run(.autoStraighten) { request in
            request.uprightMode = upright
            request.constrainCrop = constrainCrop
        }
    }
}

struct PresetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "presets", abstract: "Apply XMP presets (POST /lrService/presets).")
    @OptionGroup var job: LightroomJobOptions
    @Option(name: .customLong("preset"), help: ArgumentHelp("A preset file's URL (repeatable, applied in order).", valueName: "URL"))
    var presets: [String] = []
    func run() async throws {
        let storage = job.storage.flatMap(LightroomStorage.init(rawValue:))
        try await LightroomRunner(options: job).run(.presets, extraInputs: presets) { request in
            request.presets = presets.map { .init(href: $0, storage: storage) }
        }
    }
}

struct XMPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "xmp", abstract: "Apply XMP settings (POST /lrService/xmp).")
    @OptionGroup var job: LightroomJobOptions
    @Option(help: ArgumentHelp("The XMP to apply: a file, or a URL to fetch it from (its text is sent inline).", valueName: "FILE_OR_URL"))
    var xmp: String
    @Option(help: "EXIF orientation to apply, 1 to 8.")
    var orientation: Int?
    func run() async throws {
        let text = try await XMPSource.read(xmp)
        try await LightroomRunner(options: job).run(.xmp) { request in
            request.xmp = text
            request.orientation = orientation
        }
    }
}

struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Apply settings such as Exposure=0.5 (POST /lrService/edit).")
    @OptionGroup var job: LightroomJobOptions
    @Option(name: .customLong("set"), help: ArgumentHelp("A setting, Name=value (repeatable): Exposure -5..5, Contrast/Saturation/... -100..100, Sharpness 0..150, WhiteBalance=Auto, ...", valueName: "NAME=VALUE"))
    var settings: [String] = []
    func run() async throws {
        try await LightroomRunner(options: job).run(.edit) { request in
            for setting in settings { try request.settings.add(setting) }
        }
    }
}

struct LightroomStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Print a job's status (GET /lrService/status/JOB_ID).")
    @Argument(help: ArgumentHelp("The status URL the job request returned, or the job id.", valueName: "JOB_URL_OR_ID"))
    var job: String
    @Flag(help: "Print the status as JSON.")
    var json = false
    @OptionGroup var api: LightroomAPIOptions
    func run() async throws {
        let status = try await api.client().status(job)
        print(json ? LightroomText.json(status) : LightroomText.human(status))
        if !status.succeeded { throw ExitCode(1) }
    }
}
