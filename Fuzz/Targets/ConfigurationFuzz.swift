// libFuzzer entry for the YAML configuration loader (PortMatrixModel's ConfigurationLoader,
// Yams and libyaml), linked by Fuzz/run.sh against PortMatrixModel built with
// -sanitize=fuzzer,address in its own scratch path. Invariant: any text either loads or throws
// a ConfigurationError; nothing traps, hangs or reads out of bounds.
import PortMatrixModel

@_cdecl("LLVMFuzzerTestOneInput")
public func configurationFuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    // The loader reads files as UTF-8 and refuses anything else before parsing.
    guard let text = String(validating: input, as: UTF8.self) else { return 0 }
    // A profile or include path would read the file system; that is not decoding.
    if text.contains("/") && text.contains("profile") { return 0 }
    _ = try? ConfigurationLoader.parse(text, file: "fuzz.yaml")
    return 0
}
