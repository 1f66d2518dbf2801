// libFuzzer entry for the nrpe.cfg parser (Sources/PortMatrixNRPE/Commands/NRPEConfigFile.swift),
// compiled with the files it needs by Fuzz/run.sh. Inputs naming `include` are skipped: an
// include reads the file system (`include_dir=/` would walk it), which is not decoding and
// has its own tests; run.sh also starts the fuzzer in an empty directory.

@_cdecl("LLVMFuzzerTestOneInput")
public func nrpeConfigFuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    let text = String(decoding: input, as: UTF8.self)
    if text.contains("include") { return 0 }
    let file = NRPEConfigFile(parsing: text, path: "fuzz.cfg")
    for (name, line) in file.commands {
        precondition(!name.isEmpty)
        _ = line.utf8.count
    }
    return 0
}
