import Foundation
import PortMatrixConfiguration

extension CheckmkSettings {
    /// `checkmk.spool_file`: an absolute path whose file name starts with the maximum age in
    /// seconds (`180_portmatrix`), so Checkmk's agent drops the file once the agent stops.
    init(yaml value: YAMLValue) throws {
        self.init()
        for (_, item) in try value.mapping(allowed: ["spool_file"]) {
            value.reader.attempt {
                let path = try item.nonEmptyString()
                guard path.hasPrefix("/") else { throw item.error("'\(path)' is not an absolute path") }
                let name = URL(fileURLWithPath: path).lastPathComponent
                guard let age = Self.maximumAge(of: name), age > 0 else {
                    throw item.error("'\(name)' must start with the maximum age in seconds, e.g. 180_portmatrix "
                                     + "(Checkmk ignores the file once it is older; 3 x schedule.interval is a good age)")
                }
                spoolFile = path
            }
        }
    }
}
