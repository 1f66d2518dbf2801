/// Top-level sections of portmatrix.yaml that their components read (`nrpe:`, `snmp:`, ...).
/// The site configuration's reader hands each such key over in document order, so errors keep
/// the file's order and an unknown key gets a did-you-mean among every section.
public protocol ConfigurationSections {
    /// The top-level keys read here.
    static var keys: [String] { get }
    /// One section; mistakes are thrown or recorded on `value.reader` with their position.
    mutating func read(key: String, value: YAMLValue) throws
}
