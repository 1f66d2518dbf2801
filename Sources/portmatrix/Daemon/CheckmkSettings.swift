/// Checkmk (`checkmk:` in portmatrix.yaml): the agent writes its local-check lines into a spool
/// file each cycle (``CheckmkSpool``). Read by `CheckmkSettings+YAML.swift`.
struct CheckmkSettings: Sendable, Hashable {
    /// `/var/lib/check_mk_agent/spool/180_portmatrix`; nil (the default) writes none.
    var spoolFile: String?

    init(spoolFile: String? = nil) { self.spoolFile = spoolFile }

    /// The leading number of the spool file's name: the age in seconds after which Checkmk ignores it.
    var spoolMaximumAge: Int? {
        guard let spoolFile else { return nil }
        let name = spoolFile.split(separator: "/").last ?? ""
        return Int(name.prefix { $0.isASCII && $0.isNumber })
    }
}
