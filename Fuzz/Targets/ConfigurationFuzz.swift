// libFuzzer entry for the YAML configuration loader (PortMatrixModel's YAMLReader and
// ConfigurationLoader over Yams and libyaml), linked by Fuzz/run.sh against PortMatrixModel
// built with AddressSanitizer and fuzzer coverage in its own scratch path (.build-fuzz).
// Every input goes through the bounds check, Yams and libyaml (YAMLReader.root); one in 16,
// picked by a hash of the input so a crash reproduces, through the whole loader, which also
// parses the 17 KB built-in profile each time (300 inputs/s: 1,000,000 would take an hour).
// Invariant: any text loads or yields configuration errors; nothing traps, hangs or overreads.
@testable import PortMatrixModel

@_cdecl("LLVMFuzzerTestOneInput")
public func configurationFuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    // The loader reads files as UTF-8 and refuses anything else before parsing.
    guard let text = String(validating: input, as: UTF8.self) else { return 0 }
    let reader = YAMLReader(file: "fuzz.yaml")
    if reader.root(of: text) == nil { precondition(!reader.errors.isEmpty, "no document and no error") }
    // A profile path would read the file system; that is not decoding.
    guard input.reduce(UInt32(2_166_136_261), { ($0 ^ UInt32($1)) &* 16_777_619 }) % 16 == 0,
          !(text.contains("/") && text.contains("profile")) else { return 0 }
    do {
        _ = try ConfigurationLoader.parse(text, file: "fuzz.yaml")
    } catch is ConfigurationErrors {
    } catch is ConfigurationError {
    } catch {
        preconditionFailure("loader threw something other than configuration errors: \(error)")
    }
    return 0
}
