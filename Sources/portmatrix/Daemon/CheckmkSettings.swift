/// Checkmk (`checkmk:` in portmatrix.yaml): the agent writes its local-check lines into a spool
/// file each cycle (``CheckmkSpool``). Read by `CheckmkSettings+YAML.swift`.
struct CheckmkSettings: Sendable, Hashable {
    /// `/var/lib/check_mk_agent/spool/180_portmatrix`; nil (the default) writes none.
    var spoolFile: String?

    init(spoolFile: String? = nil) { self.spoolFile = spoolFile }

    /// The leading number of the spool file's name: the age in seconds after which Checkmk ignores it.
    var spoolMaximumAge: Int? { spoolFile.flatMap(Self.maximumAge(of:)) }

    /// The leading digits of the path's file name (`180` of `.../180_portmatrix`), nil without any.
    static func maximumAge(of path: String) -> Int? {
        Int((path.split(separator: "/").last ?? "").prefix { $0.isASCII && $0.isNumber })
    }
}
