import Foundation
import PortMatrixTestSupport
import Testing

/// The Debian package (`scripts/build-deb`, what `make deb` runs) made from the binary the
/// tests run, checked with Debian's own tools: lintian, dpkg-shlibdeps' Depends against what the
/// binary links, and apt-get installing, upgrading and purging it in a throwaway root
/// (Tests/Package/install-test.sh). The package needs a binary with the Swift runtime linked in
/// (`make deb` builds one with `--static-swift-stdlib`); the suite relinks the test build's objects
/// that way (`selfContained`) instead of compiling everything again.
@Suite(.serialized, .enabled(if: DebianPackageTools.canRun))
struct DebianPackageTests {
    /// One package for the suite, in a folder removed when the test process exits.
    static let built: Result<Built, PackageError> = {
        do {
            let dir = URL(fileURLWithPath: makeTemporaryDirectory("portmatrix-deb"))
            let binary = try DebianPackageTools.selfContained(CLIRunner.executable, in: dir)
            let build = try CLIRunner.tool(CLIRunner.repository.appendingPathComponent("scripts/build-deb").path, [],
                                           environment: ["BINARY": binary.path, "OUT": dir.path, "COMPRESSION": "gzip"],
                                           timeout: 300)
            guard build.status == 0 else { return .failure(PackageError(text: "build-deb: \(build.stdout)\(build.stderr)")) }
            return .success(Built(deb: URL(fileURLWithPath: build.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), binary: binary))
        } catch {
            return .failure(error as? PackageError ?? PackageError(text: "\(error)"))
        }
    }()

    struct PackageError: Error { let text: String }
    /// The package and the self-contained binary it was made from (before strip).
    struct Built { let deb: URL; let binary: URL }
    static var package: Result<URL, PackageError> { built.map(\.deb) }

    static func field(_ name: String, of deb: URL) throws -> String {
        try CLIRunner.tool("/usr/bin/dpkg-deb", ["-f", deb.path, name]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The version is PortMatrixVersion, the one `portmatrix --version` prints, in the control
    /// file and in the file name.
    @Test func theVersionIsTheOneTheBinaryPrints() throws {
        let deb = try Self.package.get()
        let version = try CLIRunner.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Self.field("Version", of: deb) == version)
        #expect(deb.lastPathComponent == "portmatrix_\(version)_amd64.deb")
        let contents = try CLIRunner.tool("/usr/bin/dpkg-deb", ["-c", deb.path]).stdout
        for path in ["./usr/bin/portmatrix", "./lib/systemd/system/portmatrix.service", "./usr/share/snmp/mibs/PORTMATRIX-MIB.txt",
                     "./etc/portmatrix/portmatrix.yaml", "./usr/share/doc/portmatrix/copyright", "./usr/share/doc/portmatrix/changelog.gz"] {
            #expect(contents.contains(path), "\(path)")
        }
        #expect(!contents.contains(".resources"), "no resource bundle")
        #expect(try CLIRunner.tool("/usr/bin/dpkg-deb", ["-I", deb.path, "conffiles"]).stdout == "/etc/portmatrix/portmatrix.yaml\n")
    }

    /// lintian: no error, and every warning either fixed or overridden with its reason
    /// (dist/debian/lintian-overrides).
    @Test func lintianFindsNothingUnexplained() throws {
        let deb = try Self.package.get()
        let lintian = try CLIRunner.tool("/usr/bin/lintian", ["--fail-on", "error,warning", deb.path], timeout: 300)
        let tags = lintian.stdout.split(separator: "\n").filter { $0.hasPrefix("E:") || $0.hasPrefix("W:") }
        #expect(lintian.status == 0 && tags.isEmpty, "\(lintian.stdout)\(lintian.stderr)")
    }

    /// Depends names exactly the packages whose libraries the binary's NEEDED entries load (and
    /// passwd, for useradd in postinst); none of them is the Swift toolchain.
    @Test func dependsIsWhatTheBinaryLinks() throws {
        let built = try Self.built.get()
        let deb = built.deb
        let depends = Set(try Self.field("Depends", of: deb).split(separator: ",").map {
            String($0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0])
        })
        let binary = built.binary.path
        let needed = try CLIRunner.tool("/usr/bin/readelf", ["-d", binary]).stdout.split(separator: "\n")
            .filter { $0.contains("(NEEDED)") }.compactMap { $0.split(separator: "[").last?.dropLast() }.map(String.init)
        #expect(!needed.isEmpty)
        let ldd = try CLIRunner.tool("/usr/bin/ldd", [binary]).stdout
        #expect(!ldd.contains("/opt/swift") && !ldd.contains("not found"), "\(ldd)")
        var owners: Set<String> = []
        for library in needed {
            // "\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)", "\t/lib64/ld-linux-x86-64.so.2 (0x...)"
            let line = try #require(ldd.split(separator: "\n").first {
                let text = $0.trimmingCharacters(in: .whitespaces)
                return text.hasPrefix("\(library) => ") || text.split(separator: " ").first?.hasSuffix("/\(library)") == true
            }, "\(library) in ldd")
            let path = String(try #require(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first { $0.hasPrefix("/") }))
            // Debian 12 is usr-merged: a library in /usr/lib may be listed by ldd under /lib.
            let candidates = [path, path.hasPrefix("/usr/") ? String(path.dropFirst(4)) : "/usr" + path]
            let owner = try candidates.lazy.map { try CLIRunner.tool("/usr/bin/dpkg", ["-S", $0]) }.first { $0.status == 0 }
            let name = try #require(owner?.stdout.split(separator: ":").first, "no package owns \(path)")
            owners.insert(String(name))
        }
        #expect(depends == owners.union(["passwd"]), "Depends \(depends), NEEDED from \(owners)")
    }

    /// apt-get install in a throwaway root without /opt/swift or the checkout, the agent answering
    /// check_nrpe as portmatrix, an upgrade keeping the edited configuration, purge removing all.
    @Test func installUpgradeAndPurgeWithApt() throws {
        let deb = try Self.package.get()
        let script = CLIRunner.repository.appendingPathComponent("Tests/Package/install-test.sh").path
        let run = try CLIRunner.tool(script, [deb.path], timeout: 600)
        let lines = run.stdout.split(separator: "\n")
        #expect(run.status == 0 && lines.last == "0 failed", "\(run.stdout)\(run.stderr)")
        for check in ["apt-get install", "the toolchain and the checkout are hidden", "check_nrpe gets the agent's answer: NRPE v4.1.0 (portmatrix)",
                      "the agent runs as portmatrix", "the edited configuration is kept on upgrade", "purge removes the user and the group",
                      "nothing named portmatrix is left"] {
            #expect(lines.contains { $0.hasPrefix("ok: \(check)") }, "\(check)")
        }
    }
}

/// What the package tests need.
enum DebianPackageTools {
    static let paths = ["/usr/bin/dpkg-deb", "/usr/bin/dpkg-shlibdeps", "/usr/bin/lintian", "/usr/bin/apt-get",
                        "/usr/bin/unshare", "/usr/bin/setpriv", "/usr/bin/ldd", "/usr/bin/readelf", CheckNRPE.path]

    /// Root (namespaces, chroot) and the tools.
    static let canRun: Bool = geteuid() == 0 && paths.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    static func isSelfContained(_ binary: String) -> Bool {
        guard let ldd = try? CLIRunner.tool("/usr/bin/ldd", [binary]), ldd.status == 0 else { return false }
        return !ldd.stdout.contains("libswiftCore")
    }

    /// The tests' binary if it has the Swift runtime linked in; else the same objects linked
    /// again with it, into `dir`. SwiftPM's `--static-swift-stdlib` recompiles every module (the
    /// flag is part of each compile command): minutes on two cores, where this link takes
    /// seconds. The link command is the one SwiftPM wrote into its build manifest, plus
    /// `-static-stdlib` and Foundation's static libraries, which the objects compiled for the
    /// shared runtime do not name.
    static func selfContained(_ binary: URL, in dir: URL) throws -> URL {
        if isSelfContained(binary.path) { return binary }
        let buildFolder = binary.deletingLastPathComponent()   // .build/<triple>/debug
        let manifest = buildFolder.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("\(buildFolder.lastPathComponent).yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: {
            $0.trimmingCharacters(in: .whitespaces).hasPrefix("args: [") && $0.contains("\"-o\",\"\(binary.path)\"")
        }), let json = line.split(separator: "args: ", maxSplits: 1).last,
              var args = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String],
              let output = args.firstIndex(of: "-o"), output + 1 < args.count, !args.isEmpty
        else { throw DebianPackageTests.PackageError(text: "no link command for \(binary.path) in \(manifest.path)") }
        let relinked = dir.appendingPathComponent("portmatrix")
        args[output + 1] = relinked.path
        let staticLibraries = URL(fileURLWithPath: args[0]).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("lib/swift_static/linux")
        let foundation = ["libFoundation.a", "libFoundationInternationalization.a", "libCoreFoundation.a", "lib_FoundationICU.a",
                          "libFoundationEssentials.a", "lib_FoundationCShims.a", "lib_FoundationCollections.a"]
            .map { staticLibraries.appendingPathComponent($0).path }.filter { FileManager.default.fileExists(atPath: $0) }
        let group = (["--start-group"] + foundation + ["--end-group"]).flatMap { ["-Xlinker", $0] }
        let link = try CLIRunner.tool(args[0], Array(args.dropFirst()) + ["-static-stdlib"] + group, timeout: 300)
        guard link.status == 0, isSelfContained(relinked.path) else {
            throw DebianPackageTests.PackageError(text: "static link failed: \(link.stderr.suffix(2000))")
        }
        return relinked
    }
}

