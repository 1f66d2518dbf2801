/// The system group (RFC 3418) for master mode, where no snmpd serves it: without sysDescr,
/// sysObjectID and sysUpTime many managers do not recognise the agent.
extension MIBView {
    static let systemGroup = OID([1, 3, 6, 1, 2, 1, 1])

    init(systemDescription: String, objectID: OID, contact: String, name: String, location: String) {
        self.init()
        let values: [(UInt, MIBValue)] = [
            (1, .displayString(systemDescription)),
            (2, .objectIdentifier(objectID)),
            (3, .agentUpTime),
            (4, .displayString(contact)),
            (5, .displayString(name)),
            (6, .displayString(location)),
            (7, .integer(72)),  // application + end-to-end layers
        ]
        for (arc, value) in values {
            let object = Self.systemGroup.appending([arc])
            declareObject(object)
            append(object.arcs + [0], value)
        }
    }
}
