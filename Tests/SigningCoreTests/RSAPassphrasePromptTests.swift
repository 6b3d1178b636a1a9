import Foundation
import Testing
import SigningCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encrypted keys must be refused without asking anyone for a passphrase.
///
/// OpenSSL's default PEM password callback (used when `PEM_read_bio_PrivateKey` gets a NULL
/// callback) prints "Enter PEM pass phrase:" and reads a line from /dev/tty, or from standard
/// input when there is no terminal. These tests give the process a piped standard input and a
/// captured standard error, so a prompt is seen instead of blocking the run. They change the
/// process-wide file descriptors 0 and 2, hence `.serialized`; they are skipped when a
/// controlling terminal exists, because OpenSSL would then wait for someone to type.
@Suite("RSA private key: encrypted keys never prompt", .serialized,
       .enabled(if: !ConsoleRedirect.hasControllingTerminal, "a controlling terminal exists: OpenSSL would prompt on it"))
struct RSAPassphrasePromptTests {
    @Test("encrypted key with nothing on stdin: refused, no prompt", arguments: [
        Named("encrypted PKCS#8", "rsa2048-pkcs8-encrypted"),
        Named("encrypted legacy PKCS#1 (Proc-Type: 4,ENCRYPTED)", "rsa2048-pkcs1-encrypted"),
    ])
    func refusedWithoutPrompt(_ fixture: Named<String>) throws {
        let pem = try RSAFixtures.pem(fixture.input)
        let (result, stderrText) = ConsoleRedirect.run(stdin: "") { Result { try RSAPrivateKey(pem: pem) } }
        #expect(!stderrText.contains("pass phrase"), "OpenSSL prompted for a passphrase: \(ConsoleRedirect.promptLines(stderrText))")
        switch result {
        case .success(let key): Issue.record("an encrypted key loaded (\(key.bits) bits)")
        case .failure(let error): #expect((error as? SigningError)?.code == "invalid-private-key")
        }
    }

    /// With the right passphrase waiting on stdin, a loader that consults the console would
    /// decrypt and load the key. It must refuse it, as it does without the passphrase.
    @Test("encrypted key with the passphrase on stdin: still refused (no console read)", arguments: [
        Named("encrypted PKCS#8", "rsa2048-pkcs8-encrypted"),
        Named("encrypted legacy PKCS#1 (Proc-Type: 4,ENCRYPTED)", "rsa2048-pkcs1-encrypted"),
    ])
    func passphraseOnStdinIsNotRead(_ fixture: Named<String>) throws {
        let pem = try RSAFixtures.pem(fixture.input)
        let passphrase = try String(contentsOf: RSAFixtures.directory.appendingPathComponent("encrypted-passphrase.txt"), encoding: .utf8)
        let (result, stderrText) = ConsoleRedirect.run(stdin: "\(passphrase)\n\(passphrase)\n") { Result { try RSAPrivateKey(pem: pem) } }
        #expect(!stderrText.contains("pass phrase"), "OpenSSL prompted for a passphrase: \(ConsoleRedirect.promptLines(stderrText))")
        switch result {
        case .success(let key):
            Issue.record("the encrypted key was decrypted with a passphrase read from standard input (\(key.bits) bits): the loader prompts")
        case .failure(let error):
            #expect((error as? SigningError)?.code == "invalid-private-key")
        }
    }
}

/// Temporarily replaces file descriptors 0 (with a pipe holding given text) and 2 (with a temp file).
enum ConsoleRedirect {
    /// C's `stdin` stream, looked up by symbol: Swift 6 refuses direct use of the mutable C global.
    nonisolated(unsafe) static let cStdin: UnsafeMutablePointer<FILE> = {
        #if canImport(Darwin)
        let (handle, name) = (UnsafeMutableRawPointer(bitPattern: -2), "__stdinp")  // RTLD_DEFAULT
        #else
        let (handle, name) = (UnsafeMutableRawPointer(bitPattern: 0), "stdin")  // RTLD_DEFAULT
        #endif
        guard let symbol = dlsym(handle, name) else {
            fatalError("no \(name) symbol")
        }
        return symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>.self).pointee
    }()

    /// The captured lines that look like a passphrase prompt (other suites write to fd 2 meanwhile).
    static func promptLines(_ captured: String) -> [String] {
        captured.split(separator: "\n").map(String.init).filter { $0.contains("pass phrase") }
    }

    static let hasControllingTerminal: Bool = {
        let fd = open("/dev/tty", O_RDONLY | O_NOCTTY)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }()

    /// Runs `body` with `stdin` text on fd 0 and fd 2 captured; returns the result and what was written to fd 2.
    static func run<T>(stdin text: String, _ body: () -> T) -> (T, String) {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe failed")
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])

        let capturePath = FileManager.default.temporaryDirectory
            .appendingPathComponent("presign-stderr-\(UUID().uuidString)").path
        let captureFD = open(capturePath, O_CREAT | O_RDWR | O_TRUNC, 0o600)
        precondition(captureFD >= 0, "could not create \(capturePath)")

        fflush(nil)
        let savedIn = dup(0), savedErr = dup(2)
        dup2(fds[0], 0); close(fds[0])
        dup2(captureFD, 2); close(captureFD)
        clearerr(cStdin)

        let value = body()

        // Drain what is left of the pipe (and stdio's buffer of it), then put everything back.
        while fgetc(cStdin) != EOF {}
        fflush(nil)
        dup2(savedIn, 0); close(savedIn)
        dup2(savedErr, 2); close(savedErr)
        clearerr(cStdin)

        let captured = (try? String(contentsOfFile: capturePath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: capturePath)
        // Other suites run in parallel and write to fd 2 too: pass everything on, so nothing is lost.
        Array(captured.utf8).withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
        return (value, captured)
    }
}
